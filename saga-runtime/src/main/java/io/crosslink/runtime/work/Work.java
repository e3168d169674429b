package io.crosslink.runtime.work;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A work item as its handler sees it, detached from the database.
 *
 * @param attempts how many times a handler ran it before, this run not counted
 */
public record Work(long id, String kind, String connectionId, List<String> deployments, String payloadType,
        String payload, Optional<String> checkpoint, int attempts, Instant createdAt) {

    static Work of(WorkItem item) {
        return new Work(item.id, item.kind, item.connectionId, WorkQueue.deploymentsOf(item.deployments),
                item.payloadType, item.payload, Optional.ofNullable(item.checkpoint), item.attempts, item.createdAt);
    }

    /** The event that asked for the work, when it was queued with {@link WorkQueue#enqueue(String, ConnectionEvent, List)}. */
    public ConnectionEvent event() {
        return EventCodec.decode(payloadType, payload);
    }

    /** The event, as the type the handler expects. */
    public <E extends ConnectionEvent> E event(Class<E> type) {
        return type.cast(event());
    }
}

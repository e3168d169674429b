package io.crosslink.runtime.work;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import io.crosslink.runtime.tracing.Traceparent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a consumer (or any state change) puts work, in the caller's transaction: the work exists exactly when
 * the state change that asked for it committed. {@link WorkDispatcher} is woken after the commit.
 */
@ApplicationScoped
public class WorkQueue {
    @Inject
    Event<Queued> queued;

    /** Fired when a transaction queues work; the dispatcher looks once it commits. */
    public record Queued() {
    }

    /** The permit name of a deployment: {@code <environment>/<deploymentId>}. */
    public static String deployment(String environment, String deploymentId) {
        return environment + "/" + deploymentId;
    }

    /** Queues work that {@code cause} asked for; the handler reads it back with {@link Work#event()}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public WorkItem enqueue(String kind, ConnectionEvent cause, Collection<String> deployments) {
        return enqueue(kind, cause.connectionId(), deployments, cause.cloudEventType(), EventCodec.encode(cause));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public WorkItem enqueue(String kind, String connectionId, Collection<String> deployments, String payloadType,
            String payload) {
        if (deployments.isEmpty()) {
            throw new IllegalArgumentException("work " + kind + " of connection " + connectionId
                    + " declares no deployment");
        }
        WorkItem item = new WorkItem();
        item.kind = kind;
        item.connectionId = connectionId;
        item.deployments = String.join(",", new TreeSet<>(deployments));
        item.payloadType = payloadType;
        item.payload = payload;
        item.state = WorkState.PENDING;
        item.createdAt = Instant.now();
        item.dueAt = item.createdAt;
        item.traceparent = Traceparent.current();
        item.persist();
        queued.fire(new Queued());
        return item;
    }

    /** Cancels the connection's pending items of {@code kind}; one running now finishes its run. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int cancel(String connectionId, String kind) {
        return cancel(connectionId, List.of(kind));
    }

    /** Cancels the connection's pending items of any of {@code kinds}, in one statement. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int cancel(String connectionId, Collection<String> kinds) {
        return WorkItem.update("state = ?1, finishedAt = ?2 where connectionId = ?3 and kind in ?4 and state = ?5",
                WorkState.CANCELLED, Instant.now(), connectionId, kinds, WorkState.PENDING);
    }

    /** The connection's unfinished items, oldest first. */
    @Transactional
    public List<Work> pending(String connectionId) {
        return WorkItem.<WorkItem>list("connectionId = ?1 and state = ?2 order by id", connectionId, WorkState.PENDING)
                .stream().map(Work::of).toList();
    }

    static List<String> deploymentsOf(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(","));
    }
}

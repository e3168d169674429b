package io.crosslink.key.repository;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.runtime.messaging.Inbox;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import io.crosslink.key.service.KeyRegistry;
import io.crosslink.runtime.work.WorkItem;
import io.crosslink.runtime.work.WorkQueue;
import io.crosslink.runtime.work.WorkState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link KeyRegistry} on PostgreSQL: tables {@code tracked_connection}, {@code api_key}, and saga-runtime's
 * {@code inbox}, {@code outbox} and {@code work_item}.
 */
@ApplicationScoped
public class PanacheKeyRegistry implements KeyRegistry {
    private final Inbox inbox;
    private final Outbox outbox;
    private final WorkQueue workQueue;

    public PanacheKeyRegistry(Inbox inbox, Outbox outbox, WorkQueue workQueue) {
        this.inbox = inbox;
        this.outbox = outbox;
        this.workQueue = workQueue;
    }

    @Override
    @Transactional
    public <T> T inTransaction(String connectionId, Function<Changes, T> work) {
        return work.apply(new RowChanges(TrackedConnectionEntity.lock(connectionId)));
    }

    private final class RowChanges implements Changes {
        private final TrackedConnectionEntity row;

        RowChanges(TrackedConnectionEntity row) {
            this.row = row;
        }

        @Override
        public boolean seen(ConnectionEvent event) {
            return inbox.seen(event.eventId());
        }

        @Override
        public TrackedConnection connection() {
            return row.toTrackedConnection();
        }

        @Override
        public void save(TrackedConnection connection) {
            row.update(connection); // managed: flushed on commit
        }

        @Override
        public Optional<IssuedKey> key() {
            return ApiKeyEntity.<ApiKeyEntity>findByIdOptional(row.connectionId).map(ApiKeyEntity::toIssuedKey);
        }

        @Override
        public void save(IssuedKey key) {
            ApiKeyEntity existing = ApiKeyEntity.findById(key.connectionId());
            if (existing == null) {
                ApiKeyEntity.of(key).persist();
            } else {
                existing.update(key);
            }
        }

        @Override
        public void applied(ConnectionEvent cause) {
            inbox.record(cause);
        }

        @Override
        public void publish(ConnectionEvent event) {
            outbox.publish(event);
        }

        @Override
        public void enqueue(String kind, ConnectionEvent cause, String deployment) {
            workQueue.enqueue(kind, cause, List.of(deployment));
        }

        @Override
        public boolean pending(String kind) {
            return WorkItem.count("connectionId = ?1 and kind = ?2 and state = ?3", row.connectionId, kind,
                    WorkState.PENDING) > 0;
        }

        @Override
        public boolean finished(long workId) {
            return WorkItem.count("id = ?1 and state = ?2", workId, WorkState.PENDING) == 0;
        }

        @Override
        public void finish(long workId) {
            // An update, not a loaded entity: the dispatcher renews the running item's lease meanwhile.
            WorkItem.update("state = ?1, finishedAt = ?2 where id = ?3 and state = ?4", WorkState.DONE, Instant.now(),
                    workId, WorkState.PENDING);
        }
    }
}

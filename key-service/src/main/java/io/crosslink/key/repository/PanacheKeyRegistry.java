package io.crosslink.key.repository;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.messaging.Inbox;
import io.crosslink.events.messaging.Outbox;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import io.crosslink.key.service.KeyRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.function.Function;

/** {@link KeyRegistry} on PostgreSQL: tables {@code tracked_connection}, {@code api_key}, {@code inbox}, {@code outbox}. */
@ApplicationScoped
public class PanacheKeyRegistry implements KeyRegistry {
    private final Inbox inbox;
    private final Outbox outbox;

    public PanacheKeyRegistry(Inbox inbox, Outbox outbox) {
        this.inbox = inbox;
        this.outbox = outbox;
    }

    @Override
    @Transactional
    public boolean processed(String eventId) {
        return inbox.seen(eventId);
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
    }
}

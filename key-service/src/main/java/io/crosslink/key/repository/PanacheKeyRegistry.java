package io.crosslink.key.repository;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.messaging.Inbox;
import io.crosslink.events.messaging.Outbox;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.service.KeyRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** {@link KeyRegistry} on PostgreSQL: tables {@code api_key}, {@code inbox} and {@code outbox}. */
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
    public Optional<IssuedKey> findByConnectionId(String connectionId) {
        return ApiKeyEntity.<ApiKeyEntity>findByIdOptional(connectionId).map(ApiKeyEntity::toIssuedKey);
    }

    @Override
    @Transactional
    public void recordIssued(ConnectionEvent cause, IssuedKey key, KeyCreated announcement) {
        inbox.record(cause);
        ApiKeyEntity.of(key).persist();
        outbox.publish(announcement);
    }

    @Override
    @Transactional
    public void recordOutcome(ConnectionEvent cause, ConnectionEvent outcome) {
        inbox.record(cause);
        outbox.publish(outcome);
    }
}

package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.key.domain.IssuedKey;
import java.util.Optional;

/**
 * key-service's memory: the events it has applied (inbox), the keys it issued (by connection id) and the
 * events it emits (outbox). Each {@code record…} method is ONE transaction, so an event is applied, its effect
 * stored and its outcome queued together or not at all.
 */
public interface KeyRegistry {

    /** Whether this event was applied already (a redelivery). */
    boolean processed(String eventId);

    /** The key issued for a connection: for re-announcing it, and for invalidating it on compensation. */
    Optional<IssuedKey> findByConnectionId(String connectionId);

    /** Applies {@code cause}: stores the new key and queues its announcement. */
    void recordIssued(ConnectionEvent cause, IssuedKey key, KeyCreated announcement);

    /** Applies {@code cause} with no new key: queues the outcome (a repeated KeyCreated, or a failure). */
    void recordOutcome(ConnectionEvent cause, ConnectionEvent outcome);
}

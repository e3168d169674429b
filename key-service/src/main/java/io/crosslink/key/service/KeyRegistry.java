package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import java.util.Optional;
import java.util.function.Function;

/**
 * key-service's memory: the events it has applied (inbox), what it knows about each connection and the key it
 * issued for it, and the events it emits (outbox). {@link #inTransaction} is ONE transaction holding the
 * connection's lock, so an event is applied, its effect stored and its outcome queued together or not at all,
 * and the two consumers ({@code connect-events}, {@code trust-events}) never interleave on one connection.
 */
public interface KeyRegistry {

    /** Whether this event was applied already (a redelivery). */
    boolean processed(String eventId);

    /** Runs {@code work} in one transaction that holds the connection's lock until it commits. */
    <T> T inTransaction(String connectionId, Function<Changes, T> work);

    /** One connection, inside {@link #inTransaction}. */
    interface Changes {

        /** What is known about the connection ({@link TrackedConnection#unknown} when nothing). */
        TrackedConnection connection();

        void save(TrackedConnection connection);

        /** The key issued for the connection: announced again, or invalidated on compensation. */
        Optional<IssuedKey> key();

        /** Stores the key, or its new state. */
        void save(IssuedKey key);

        /** Marks the event applied (inbox). */
        void applied(ConnectionEvent cause);

        /** Queues an event for its topic (outbox). */
        void publish(ConnectionEvent event);
    }
}

package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import java.util.Optional;
import java.util.function.Function;

/**
 * key-service's memory: the events it has applied (inbox), what it knows about each connection and the key it
 * issued for it, the work it queued for the connection, and the events it emits (outbox). {@link #inTransaction}
 * is ONE transaction holding the connection's lock, so an event is applied, its effect stored, its work queued and
 * its outcome queued together or not at all, and the consumers ({@code connect-events}, {@code trust-events}) and
 * the work handlers never interleave on one connection.
 */
public interface KeyRegistry {

    /** Runs {@code work} in one transaction that holds the connection's lock until it commits. */
    <T> T inTransaction(String connectionId, Function<Changes, T> work);

    /** One connection, inside {@link #inTransaction}. */
    interface Changes {

        /** Whether this event was applied already (a redelivery). */
        boolean seen(ConnectionEvent event);

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

        /**
         * Queues work of {@code kind} that {@code cause} asked for, calling {@code deployment}
         * ({@link KeyWork#deployment}); it runs once this transaction commits.
         */
        void enqueue(String kind, ConnectionEvent cause, String deployment);

        /** Whether the connection has unfinished work of {@code kind}. */
        boolean pending(String kind);

        /** Whether the work item is over (finished by an earlier run, or cancelled): a run then does nothing. */
        boolean finished(long workId);

        /**
         * Marks the work item done in this transaction, with the outcome it commits: a run that crashes after the
         * commit, before the dispatcher recorded it, is not repeated.
         */
        void finish(long workId);
    }
}

package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** {@link KeyRegistry} in memory: what a transaction would commit, committed at once. */
class InMemoryKeyRegistry implements KeyRegistry {
    final Set<String> inbox = new HashSet<>();
    final Map<String, TrackedConnection> connections = new HashMap<>();
    final Map<String, IssuedKey> keys = new HashMap<>();
    final List<ConnectionEvent> outbox = new ArrayList<>();
    /** Runs inside the next transaction of a connection, before its work: what another consumer did meanwhile. */
    private final Map<String, Runnable> meanwhile = new HashMap<>();

    /** {@code action} happens just before the next transaction of the connection (e.g. a concurrent undo). */
    void beforeNextTransaction(String connectionId, Runnable action) {
        meanwhile.put(connectionId, action);
    }

    @Override
    public boolean processed(String eventId) {
        return inbox.contains(eventId);
    }

    @Override
    public <T> T inTransaction(String connectionId, Function<Changes, T> work) {
        Runnable action = meanwhile.remove(connectionId);
        if (action != null) {
            action.run();
        }
        return work.apply(new Changes() {
            @Override
            public TrackedConnection connection() {
                return connections.getOrDefault(connectionId, TrackedConnection.unknown(connectionId));
            }

            @Override
            public void save(TrackedConnection connection) {
                connections.put(connectionId, connection);
            }

            @Override
            public Optional<IssuedKey> key() {
                return Optional.ofNullable(keys.get(connectionId));
            }

            @Override
            public void save(IssuedKey key) {
                keys.put(connectionId, key);
            }

            @Override
            public void applied(ConnectionEvent cause) {
                if (!inbox.add(cause.eventId())) {
                    throw new IllegalStateException("event applied twice: " + cause.eventId());
                }
            }

            @Override
            public void publish(ConnectionEvent event) {
                outbox.add(event);
            }
        });
    }
}

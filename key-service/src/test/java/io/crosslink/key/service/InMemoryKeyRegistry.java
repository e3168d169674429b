package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.key.domain.IssuedKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link KeyRegistry} in memory: what a transaction would commit, committed at once. */
class InMemoryKeyRegistry implements KeyRegistry {
    final Set<String> inbox = new HashSet<>();
    final Map<String, IssuedKey> keys = new HashMap<>();
    final List<ConnectionEvent> outbox = new ArrayList<>();

    @Override
    public boolean processed(String eventId) {
        return inbox.contains(eventId);
    }

    @Override
    public Optional<IssuedKey> findByConnectionId(String connectionId) {
        return Optional.ofNullable(keys.get(connectionId));
    }

    @Override
    public void recordIssued(ConnectionEvent cause, IssuedKey key, KeyCreated announcement) {
        if (!inbox.add(cause.eventId()) || keys.putIfAbsent(key.connectionId(), key) != null) {
            throw new IllegalStateException("duplicate key: " + cause.eventId() + " / " + key.connectionId());
        }
        outbox.add(announcement);
    }

    @Override
    public void recordOutcome(ConnectionEvent cause, ConnectionEvent outcome) {
        if (!inbox.add(cause.eventId())) {
            throw new IllegalStateException("duplicate key: " + cause.eventId());
        }
        outbox.add(outcome);
    }
}

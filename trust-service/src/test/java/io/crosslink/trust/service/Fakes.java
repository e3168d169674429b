package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.messaging.Inbox;
import io.crosslink.events.messaging.Outbox;
import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.client.KeystoreClient;
import io.crosslink.trust.domain.EntryStatus;
import io.crosslink.trust.domain.KeystoreEntry;
import io.crosslink.trust.repository.KeystoreEntries;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** In-memory stand-ins for the database, the inbox, the outbox and the Cloud API: step logic only. */
final class Fakes {
    private Fakes() {
    }

    static final class Entries implements KeystoreEntries {
        final Map<String, KeystoreEntry> rows = new HashMap<>();

        @Override
        public KeystoreEntry lockOrCreate(String connectionId) {
            return rows.computeIfAbsent(connectionId, id -> {
                KeystoreEntry entry = new KeystoreEntry();
                entry.connectionId = id;
                entry.status = EntryStatus.WAITING;
                entry.mayHaveWritten = false;
                entry.createdAt = Instant.now();
                entry.updatedAt = entry.createdAt;
                return entry;
            });
        }
    }

    static final class RecordingInbox extends Inbox {
        final Set<String> recorded = new HashSet<>();

        @Override
        public boolean seen(String eventId) {
            return recorded.contains(eventId);
        }

        @Override
        public void record(ConnectionEvent event) {
            if (!recorded.add(event.eventId())) {
                throw new IllegalStateException("event " + event.eventId() + " recorded twice");
            }
        }
    }

    static final class RecordingOutbox extends Outbox {
        final List<ConnectionEvent> published = new ArrayList<>();

        @Override
        public void publish(ConnectionEvent event) {
            published.add(event);
        }
    }

    record Put(DeploymentResource resource, String settingName, String value) {
    }

    record Removal(DeploymentResource resource, String settingName) {
    }

    /**
     * Records every call in order ({@link #calls}: Put or Removal); answers writes and removals with their queued
     * failures first, then succeeds. {@link #duringPut} runs inside a write, as what happens while it is in flight.
     */
    static final class Keystore implements KeystoreClient {
        final List<Object> calls = new ArrayList<>();
        final List<Put> puts = new ArrayList<>();
        final List<Removal> removals = new ArrayList<>();
        final Deque<RuntimeException> failures = new ArrayDeque<>();
        final Deque<RuntimeException> removalFailures = new ArrayDeque<>();
        Runnable duringPut;

        @Override
        public void putSecret(DeploymentResource resource, String settingName, String value) {
            Put put = new Put(resource, settingName, value);
            puts.add(put);
            calls.add(put);
            if (duringPut != null) {
                Runnable inFlight = duringPut;
                duringPut = null;
                inFlight.run();
            }
            RuntimeException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void removeSecret(DeploymentResource resource, String settingName) {
            Removal removal = new Removal(resource, settingName);
            removals.add(removal);
            calls.add(removal);
            RuntimeException failure = removalFailures.poll();
            if (failure != null) {
                throw failure;
            }
        }
    }
}

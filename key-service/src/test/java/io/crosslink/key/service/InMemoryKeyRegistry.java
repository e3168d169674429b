package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import io.crosslink.runtime.work.Work;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** {@link KeyRegistry} in memory: what a transaction would commit, committed at once; work items included. */
class InMemoryKeyRegistry implements KeyRegistry {
    final Set<String> inbox = new HashSet<>();
    final Map<String, TrackedConnection> connections = new HashMap<>();
    final Map<String, IssuedKey> keys = new HashMap<>();
    final List<ConnectionEvent> outbox = new ArrayList<>();
    final List<QueuedWork> work = new ArrayList<>();
    /** Runs inside the next transaction of a connection, before its work: what another consumer did meanwhile. */
    private final Map<String, Runnable> meanwhile = new HashMap<>();

    /** A work item as the {@code work_item} table would hold it. */
    static final class QueuedWork {
        final long id;
        final String kind;
        final ConnectionEvent cause;
        final String deployment;
        final Instant createdAt = Instant.now();
        int attempts;
        boolean finished;

        QueuedWork(long id, String kind, ConnectionEvent cause, String deployment) {
            this.id = id;
            this.kind = kind;
            this.cause = cause;
            this.deployment = deployment;
        }

        /** What the dispatcher hands its handler. */
        Work toWork() {
            return new Work(id, kind, cause.connectionId(), List.of(deployment), cause.cloudEventType(),
                    EventCodec.encode(cause), Optional.empty(), attempts, createdAt);
        }

        @Override
        public String toString() {
            return kind + "#" + id + "(" + cause.getClass().getSimpleName() + ", " + deployment + ", attempts "
                    + attempts + (finished ? ", finished" : "") + ")";
        }
    }

    /** {@code action} happens just before the next transaction of the connection (e.g. a concurrent undo). */
    void beforeNextTransaction(String connectionId, Runnable action) {
        meanwhile.put(connectionId, action);
    }

    /** The unfinished items, oldest first. */
    List<QueuedWork> pendingWork() {
        return work.stream().filter(item -> !item.finished).toList();
    }

    @Override
    public <T> T inTransaction(String connectionId, Function<Changes, T> transaction) {
        Runnable action = meanwhile.remove(connectionId);
        if (action != null) {
            action.run();
        }
        return transaction.apply(new Changes() {
            @Override
            public boolean seen(ConnectionEvent event) {
                return inbox.contains(event.eventId());
            }

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

            @Override
            public void enqueue(String kind, ConnectionEvent cause, String deployment) {
                work.add(new QueuedWork(work.size() + 1, kind, cause, deployment));
            }

            @Override
            public boolean pending(String kind) {
                return work.stream().anyMatch(item -> !item.finished && item.kind.equals(kind)
                        && item.cause.connectionId().equals(connectionId));
            }

            @Override
            public boolean finished(long workId) {
                return work.stream().noneMatch(item -> item.id == workId && !item.finished);
            }

            @Override
            public void finish(long workId) {
                work.stream().filter(item -> item.id == workId).forEach(item -> item.finished = true);
            }
        });
    }
}

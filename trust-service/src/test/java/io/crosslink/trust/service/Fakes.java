package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import io.crosslink.runtime.messaging.Inbox;
import io.crosslink.runtime.lock.NamedLock;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkItem;
import io.crosslink.runtime.work.WorkQueue;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.client.KeystoreClient;
import io.crosslink.trust.client.SigningCaSettings;
import io.crosslink.trust.domain.EntryStatus;
import io.crosslink.trust.domain.KeystoreEntry;
import io.crosslink.trust.domain.GrantStatus;
import io.crosslink.trust.domain.SigningCaGrant;
import io.crosslink.trust.domain.UnreadRequest;
import io.crosslink.trust.repository.KeystoreEntries;
import io.crosslink.trust.repository.SigningCaGrants;
import io.crosslink.trust.repository.UnreadRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * In-memory stand-ins for the database, the inbox, the outbox, the work queue (and a worker that runs its items as
 * the dispatcher would) and the Cloud API: step logic only.
 */
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

        @Override
        public Optional<KeystoreEntry> find(String connectionId) {
            return Optional.ofNullable(rows.get(connectionId));
        }
    }

    /** The unread_request table. */
    static final class Unread implements UnreadRequests {
        final Map<String, UnreadRequest> rows = new HashMap<>();

        @Override
        public UnreadRequest lockOrCreate(String connectionId) {
            return rows.computeIfAbsent(connectionId, id -> {
                UnreadRequest unread = new UnreadRequest();
                unread.connectionId = id;
                unread.createdAt = Instant.now();
                unread.updatedAt = unread.createdAt;
                return unread;
            });
        }

        @Override
        public Optional<UnreadRequest> find(String connectionId) {
            return Optional.ofNullable(rows.get(connectionId));
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

    /** The work_item table: what consumers queued, in order ({@link #items}), not yet taken by a {@link Worker}. */
    static final class Queue extends WorkQueue {
        final List<Work> items = new ArrayList<>();
        final List<Work> all = new ArrayList<>();
        private long ids;

        @Override
        public WorkItem enqueue(String kind, ConnectionEvent cause, Collection<String> deployments) {
            Work work = new Work(++ids, kind, cause.connectionId(), List.copyOf(new TreeSet<>(deployments)),
                    cause.cloudEventType(), EventCodec.encode(cause), Optional.empty(), 0, Instant.now());
            items.add(work);
            all.add(work);
            return null;
        }
    }

    /** One run of a work item and what its handler said. */
    record Run(Work work, WorkResult result) {
        WorkResult.Park park() {
            return (WorkResult.Park) result;
        }
    }

    /**
     * Runs the queued work items as the dispatcher does, one at a time: the earliest due first (then the oldest),
     * moving {@code clock} to when it is due (or, without a clock, waiting on the test's thread until it is); a
     * parked item comes back after its delay with its checkpoint and one more attempt. Every run is kept in
     * {@link #runs}.
     */
    static final class Worker {
        final Queue queue;
        final TrustFakes.MovingClock clock;
        final Map<String, WorkHandler> handlers = new HashMap<>();
        final List<Run> runs = new ArrayList<>();
        final List<Due> pending = new ArrayList<>();

        record Due(Work work, Instant at) {
        }

        Worker(Queue queue, TrustFakes.MovingClock clock, WorkHandler... handlers) {
            this.queue = queue;
            this.clock = clock;
            for (WorkHandler handler : handlers) {
                this.handlers.put(handler.kind(), handler);
            }
        }

        /** Runs items until none is left (parked ones included). */
        void runAll() {
            for (int i = 0; i < 10_000; i++) {
                if (!runNext()) {
                    return;
                }
            }
            throw new IllegalStateException("work items still pending after 10000 runs: " + pending);
        }

        /** Runs the next due item, if any; returns whether one ran. */
        boolean runNext() {
            take();
            Optional<Due> next = pending.stream()
                    .min(Comparator.comparing(Due::at).thenComparing(due -> due.work().id()));
            if (next.isEmpty()) {
                return false;
            }
            Due due = next.get();
            pending.remove(due);
            if (due.at().isAfter(now())) {
                if (clock != null) {
                    clock.now = due.at();
                } else {
                    sleepUntil(due.at());
                }
            }
            WorkHandler handler = handlers.get(due.work().kind());
            if (handler == null) {
                throw new IllegalStateException("no handler of kind " + due.work().kind());
            }
            WorkResult result = handler.run(due.work());
            runs.add(new Run(due.work(), result));
            if (result instanceof WorkResult.Park park) {
                Work work = due.work();
                Optional<String> checkpoint = park.checkpoint() != null ? Optional.of(park.checkpoint())
                        : work.checkpoint();
                pending.add(new Due(new Work(work.id(), work.kind(), work.connectionId(), work.deployments(),
                        work.payloadType(), work.payload(), checkpoint, work.attempts() + 1, work.createdAt()),
                        now().plus(park.delay())));
            }
            return true;
        }

        /** Moves what consumers queued into the worker's list, due now. */
        void take() {
            for (Work work : queue.items) {
                pending.add(new Due(work, now()));
            }
            queue.items.clear();
        }

        private Instant now() {
            return clock != null ? clock.now : Instant.now();
        }

        private static void sleepUntil(Instant at) {
            try {
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        List<WorkResult.Park> parks() {
            return runs.stream().filter(run -> run.result() instanceof WorkResult.Park).map(Run::park).toList();
        }

        List<Duration> parkDelays() {
            return parks().stream().map(WorkResult.Park::delay).toList();
        }

        long runsOf(String kind) {
            return runs.stream().filter(run -> run.work().kind().equals(kind)).count();
        }
    }

    record Put(DeploymentResource resource, String settingName, String value) {
    }

    record Removal(DeploymentResource resource, String settingName) {
    }

    record Read(DeploymentResource resource) {
    }

    /** A scripted failure: thrown instead of answering, after ({@code applied}) or without applying the change. */
    record Failure(RuntimeException error, boolean applied) {
    }

    /**
     * A keystore over in-memory entry names ({@link #names}); records every call in order ({@link #calls}: Put,
     * Removal or Read) and answers with its scripted failures first, then succeeds. {@link #duringPut} runs inside
     * a write, as what happens while it is in flight.
     */
    static final class Keystore implements KeystoreClient {
        final Set<String> names = new TreeSet<>();
        final List<Object> calls = new ArrayList<>();
        final List<Put> puts = new ArrayList<>();
        final List<Removal> removals = new ArrayList<>();
        final List<Read> reads = new ArrayList<>();
        final Deque<Failure> failures = new ArrayDeque<>();
        final Deque<Failure> removalFailures = new ArrayDeque<>();
        final Deque<RuntimeException> readFailures = new ArrayDeque<>();
        Runnable duringPut;

        /** The next write fails without applying. */
        void refusePut(RuntimeException error) {
            failures.add(new Failure(error, false));
        }

        /** The next removal fails without applying. */
        void refuseRemoval(RuntimeException error) {
            removalFailures.add(new Failure(error, false));
        }

        /** The next removal applies, but its answer is lost (a timeout after forwarding, a 5xx after applying). */
        void loseRemovalAnswer(RuntimeException error) {
            removalFailures.add(new Failure(error, true));
        }

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
            Failure failure = failures.poll();
            if (failure == null || failure.applied()) {
                names.add(settingName);
            }
            if (failure != null) {
                throw failure.error();
            }
        }

        @Override
        public void removeSecret(DeploymentResource resource, String settingName) {
            Removal removal = new Removal(resource, settingName);
            removals.add(removal);
            calls.add(removal);
            Failure failure = removalFailures.poll();
            if (failure == null || failure.applied()) {
                names.remove(settingName);
            }
            if (failure != null) {
                throw failure.error();
            }
        }

        @Override
        public Set<String> listSecrets(DeploymentResource resource) {
            Read read = new Read(resource);
            reads.add(read);
            calls.add(read);
            RuntimeException failure = readFailures.poll();
            if (failure != null) {
                throw failure;
            }
            return new TreeSet<>(names);
        }
    }

    /** The signing_ca_grant table. */
    static final class Grants implements SigningCaGrants {
        final Map<String, SigningCaGrant> rows = new LinkedHashMap<>();

        @Override
        public Optional<SigningCaGrant> find(String connectionId) {
            return Optional.ofNullable(rows.get(connectionId));
        }

        @Override
        public void add(SigningCaGrant grant) {
            if (rows.putIfAbsent(grant.connectionId, grant) != null) {
                throw new IllegalStateException("grant of " + grant.connectionId + " added twice");
            }
        }

        @Override
        public boolean heldByAnother(String deploymentId, String caPath, String connectionId) {
            return rows.values().stream().anyMatch(grant -> grant.deploymentId.equals(deploymentId)
                    && grant.caPath.equals(caPath) && !grant.connectionId.equals(connectionId) && grant.status.holds());
        }

        @Override
        public List<String> grantedPaths(String deploymentId) {
            return rows.values().stream().filter(grant -> grant.deploymentId.equals(deploymentId)
                    && grant.status == GrantStatus.GRANTED).map(grant -> grant.caPath).distinct().toList();
        }
    }

    /**
     * R's {@code cluster.remote.signing.certificate_authorities} per deployment ({@link #lists}), as the nodes hold it
     * (no API reads it); records every call ({@link #calls}: "put R [paths]") and answers with its scripted failures
     * first.
     */
    static final class SigningCaSettingsFake implements SigningCaSettings {
        final Map<String, List<String>> lists = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        final Deque<Failure> putFailures = new ArrayDeque<>();
        /** Deployments without configured access: every call fails as the real client does. */
        final Set<String> unconfigured = new HashSet<>();

        @Override
        public void replace(String deploymentId, List<String> paths) {
            calls.add("put " + deploymentId + " " + paths);
            if (unconfigured.contains(deploymentId)) {
                throw io.crosslink.elastic.ElasticCallException.of(new io.crosslink.events.StepFailure(
                        "deployment_not_configured", "no Elasticsearch access is configured for deployment "
                        + deploymentId, null, false));
            }
            Failure failure = putFailures.poll();
            if (failure == null || failure.applied()) {
                lists.put(deploymentId, List.copyOf(paths));
            }
            if (failure != null) {
                throw failure.error();
            }
        }

        long puts() {
            return calls.size();
        }
    }

    /** One process: the lock only records who held it, and refuses nesting (a write of R's list inside another). */
    static final class Locks implements NamedLock {
        final List<String> held = new ArrayList<>();
        private String holder;

        @Override
        public <T> T holding(String name, java.util.function.Supplier<T> body) {
            if (holder != null) {
                throw new IllegalStateException("lock " + name + " taken while holding " + holder);
            }
            held.add(name);
            holder = name;
            try {
                return body.get();
            } finally {
                holder = null;
            }
        }
    }

    /** Strong identity's parts over the fakes above. */
    static final class SigningCa {
        final Grants grants = new Grants();
        final SigningCaSettingsFake settings = new SigningCaSettingsFake();
        final Locks locks = new Locks();
        final SigningCaLedger ledger;
        final SigningCaWriter writer;

        SigningCa(KeystoreEntries entries, Outbox outbox) {
            this(entries, outbox, KeptSigningAuthorities.none());
        }

        SigningCa(KeystoreEntries entries, Outbox outbox, KeptSigningAuthorities kept) {
            ledger = new SigningCaLedger(entries, grants, outbox);
            writer = new SigningCaWriter(settings, ledger, locks, kept);
        }
    }
}

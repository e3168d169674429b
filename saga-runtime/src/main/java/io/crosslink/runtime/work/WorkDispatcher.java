package io.crosslink.runtime.work;

import io.crosslink.runtime.logging.ConnectionMdc;
import io.crosslink.runtime.secret.Redactor;
import io.crosslink.runtime.tracing.SagaSpans;
import io.crosslink.runtime.tracing.SpanScope;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the work items of this service. One dispatcher thread picks due items ({@link FairPicker}: deployments
 * take turns), takes their deployment permits ({@link DeploymentPermits}: {@code crosslink.work.max-concurrency}
 * in all, {@code crosslink.work.per-deployment} per deployment), claims them in the database and hands them to a
 * pool of as many workers. Claiming is guarded per connection by a transaction-level advisory lock plus a check
 * for a live lease, so one connection's items never overlap, across instances too. A running item's lease is
 * renewed every third of {@code crosslink.work.lease}; a crashed instance's items are taken up once it runs out.
 * A handler that parks its item, or throws (then {@code crosslink.work.backoff} applies), frees its worker and
 * permits at once. Finished items are deleted after {@code crosslink.work.retention}. The dispatcher looks for due
 * work after each commit that queued some, after a run that parked its item, after a run that ended while due items
 * waited for its connection or permits (the last look left some behind, or is under way), when an item this instance
 * parked falls due (a 250 ms backoff is not stretched to the poll interval), and every
 * {@code crosslink.work.poll-interval} for the rest (another instance's parked items, expired leases). A run that
 * finishes with nothing waiting does not look: every step of every saga would cost a transaction more.
 */
@ApplicationScoped
public class WorkDispatcher {
    private static final Logger LOG = Logger.getLogger(WorkDispatcher.class);
    /** First key of the claim's advisory lock ("wrk1"): apart from other advisory locks of the service. */
    static final int LOCK_NAMESPACE = 0x77726b31;
    private static final int CANDIDATES = 500;
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

    @Inject
    @Any
    Instance<WorkHandler> handlerBeans;

    @Inject
    MeterRegistry registry;

    @Inject
    SagaSpans spans;

    @ConfigProperty(name = "crosslink.work.max-concurrency", defaultValue = "16")
    int maxConcurrency;

    @ConfigProperty(name = "crosslink.work.per-deployment", defaultValue = "4")
    int perDeployment;

    @ConfigProperty(name = "crosslink.work.poll-interval", defaultValue = "1s")
    Duration pollInterval;

    @ConfigProperty(name = "crosslink.work.lease", defaultValue = "30s")
    Duration lease;

    @ConfigProperty(name = "crosslink.work.backoff", defaultValue = "1s")
    Duration backoff;

    @ConfigProperty(name = "crosslink.work.max-backoff", defaultValue = "1m")
    Duration maxBackoff;

    @ConfigProperty(name = "crosslink.work.retention", defaultValue = "7d")
    Duration retention;

    @ConfigProperty(name = "crosslink.work.enabled", defaultValue = "true")
    boolean enabled;

    private final String owner = UUID.randomUUID().toString();
    private final Semaphore wakeUps = new Semaphore(0);
    /** When the items this instance parked fall due: the dispatcher wakes then rather than at the next poll. */
    private final ConcurrentSkipListSet<Instant> parkedUntil = new ConcurrentSkipListSet<>();
    private final FairPicker picker = new FairPicker();
    private final Set<String> runningConnections = ConcurrentHashMap.newKeySet();
    private final Map<Long, Instant> runningItems = new ConcurrentHashMap<>();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger looks = new AtomicInteger();
    private Map<String, WorkHandler> handlers;
    private WorkMetrics metrics;
    private DeploymentPermits permits;
    private ExecutorService workers;
    private Thread dispatcher;
    private volatile boolean stopping;
    /** A look is under way: a run that ends meanwhile may free what it finds busy. */
    private volatile boolean looking;
    /** The last look left due items it could not start (their connection busy, no permit, more than it reads). */
    private volatile boolean leftBehind;
    private Instant nextHeartbeat = Instant.EPOCH;
    private Instant nextPrune = Instant.EPOCH;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("work dispatcher disabled (crosslink.work.enabled=false)");
            return;
        }
        handlers = new HashMap<>();
        for (WorkHandler handler : handlerBeans) {
            WorkHandler earlier = handlers.put(handler.kind(), handler);
            if (earlier != null) {
                throw new IllegalStateException("two work handlers of kind " + handler.kind());
            }
        }
        metrics = new WorkMetrics(registry);
        metrics.register(handlers.keySet());
        permits = new DeploymentPermits(maxConcurrency, perDeployment);
        AtomicInteger count = new AtomicInteger();
        workers = Executors.newFixedThreadPool(maxConcurrency, runnable -> {
            Thread thread = new Thread(runnable, "crosslink-work-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        dispatcher = new Thread(this::loop, "crosslink-work-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
        LOG.infof("work dispatcher: kinds %s, %d workers, %d per deployment", new TreeSet<>(handlers.keySet()),
                maxConcurrency, perDeployment);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (dispatcher != null) {
            dispatcher.interrupt();
            workers.shutdown();
            try {
                // Let runs finish their commit; what does not finish is taken up again once its lease runs out.
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) WorkQueue.Queued queued) {
        wake();
    }

    /** Looks for due work now rather than at the next poll. */
    public void wake() {
        wakeUps.release();
    }

    /** Items finished or parked by this instance since it started: for tests that wait for progress. */
    public int runsFinished() {
        return finished.get();
    }

    /** How often the dispatcher looked for due work since the start: for tests of when it looks. */
    public int looks() {
        return looks.get();
    }

    private void loop() {
        while (!stopping) {
            try {
                dispatch();
                housekeeping();
                wakeUps.tryAcquire(untilNextLook().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("work dispatch failed, looking again in %s: %s", pollInterval, e.getMessage());
                sleepQuietly();
            }
        }
    }

    private void dispatch() {
        looking = true;
        boolean left = true;
        try {
            left = lookAndStart();
        } finally {
            leftBehind = left;
            looking = false;
        }
    }

    /** Starts what can run of the due items; true when some of them could not start now. */
    private boolean lookAndStart() {
        Instant now = Instant.now();
        // What falls due by now is looked for now, or, with every permit taken, once a run ends and wakes us.
        parkedUntil.headSet(now, true).clear();
        looks.incrementAndGet();
        if (permits.full()) {
            return true;
        }
        List<FairPicker.Candidate> due = QuarkusTransaction.requiringNew().call(() -> dueCandidates(now));
        if (due.isEmpty()) {
            return false;
        }
        int started = picker.pick(due, runningConnections, permits, this::start).size();
        return started < due.size() || due.size() == CANDIDATES;
    }

    /** Until the earliest item this instance parked falls due, at most the poll interval. */
    private Duration untilNextLook() {
        Instant next = parkedUntil.isEmpty() ? null : parkedUntil.first();
        if (next == null) {
            return pollInterval;
        }
        // Rounded up to the next millisecond: woken a fraction early, the look would find nothing due yet.
        Duration wait = Duration.ofMillis(Duration.between(Instant.now(), next).toMillis() + 1);
        return wait.compareTo(pollInterval) < 0 ? wait : pollInterval;
    }

    @SuppressWarnings("unchecked")
    private List<FairPicker.Candidate> dueCandidates(Instant now) {
        List<Object[]> rows = entityManager().createNativeQuery("select id, connection_id, deployments from work_item"
                + " where state = 'PENDING' and due_at <= :now and (lease_until is null or lease_until <= :now)"
                + " order by due_at, id limit " + CANDIDATES)
                .setParameter("now", now)
                .getResultList();
        return rows.stream().map(row -> new FairPicker.Candidate(((Number) row[0]).longValue(), (String) row[1],
                new TreeSet<>(WorkQueue.deploymentsOf((String) row[2])))).toList();
    }

    /** Takes the permits, claims the item and hands it to a worker; false (nothing held) when it cannot run now. */
    private boolean start(FairPicker.Candidate candidate) {
        if (!permits.tryAcquire(candidate.deployments())) {
            return false;
        }
        Optional<Claimed> claimed;
        try {
            claimed = QuarkusTransaction.requiringNew().call(() -> claim(candidate));
        } catch (RuntimeException e) {
            permits.release(candidate.deployments());
            throw e;
        }
        if (claimed.isEmpty()) {
            permits.release(candidate.deployments());
            return false;
        }
        runningConnections.add(candidate.connectionId());
        runningItems.put(candidate.id(), Instant.now());
        workers.execute(() -> run(claimed.get(), candidate));
        return true;
    }

    /**
     * The item with a lease of this instance, unless it is gone, claimed, or its connection runs elsewhere. Two
     * statements (the lock, then one update that checks, leases and returns the row): every step of every saga is
     * claimed once.
     */
    @SuppressWarnings("unchecked")
    private Optional<Claimed> claim(FairPicker.Candidate candidate) {
        EntityManager em = entityManager();
        Instant now = Instant.now();
        boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(:ns, hashtext(:connection))")
                .setParameter("ns", LOCK_NAMESPACE)
                .setParameter("connection", candidate.connectionId())
                .getSingleResult();
        if (!locked) {
            return Optional.empty();
        }
        // Under the lock, a statement that starts now sees every lease committed by a claim that held it before;
        // the lock cannot move into this statement, whose snapshot would predate it.
        List<WorkItem> leased = em.createNativeQuery("""
                update work_item w set lease_until = :lease, lease_owner = :owner
                where w.id = :id and w.state = 'PENDING' and w.due_at <= :now
                  and (w.lease_until is null or w.lease_until <= :now)
                  and not exists (select 1 from work_item other where other.connection_id = w.connection_id
                      and other.state = 'PENDING' and other.lease_until > :now and other.id <> w.id)
                returning w.*""", WorkItem.class)
                .setParameter("lease", now.plus(lease))
                .setParameter("owner", owner)
                .setParameter("id", candidate.id())
                .setParameter("now", now)
                .getResultList();
        return leased.stream().findFirst().map(item -> new Claimed(Work.of(item), item.traceparent));
    }

    /** A claimed item and the traceparent it was queued under (not part of {@link Work}: handlers need not see it). */
    private record Claimed(Work work, String traceparent) {
    }

    /**
     * Runs the item inside a span whose parent is the trace that queued it, so its Elastic calls and the records it
     * publishes belong to the saga's trace; its connection and trace ids are in the MDC meanwhile.
     */
    private void run(Claimed claimed, FairPicker.Candidate candidate) {
        Work work = claimed.work();
        try (ConnectionMdc ignored = ConnectionMdc.of(work.connectionId());
                SpanScope span = spans.work(work.kind(), work.id(), work.connectionId(), work.attempts() + 1,
                        claimed.traceparent())) {
            runAndRecord(work, candidate, span);
        }
    }

    private void runAndRecord(Work work, FairPicker.Candidate candidate, SpanScope span) {
        WorkResult result;
        String outcome;
        long started = System.nanoTime();
        try {
            WorkHandler handler = handlers.get(work.kind());
            if (handler == null) {
                result = WorkResult.park(Duration.ofMinutes(1), "no handler of kind " + work.kind()
                        + " in this instance");
                LOG.errorf("work %d of connection %s: no handler of kind %s", work.id(), work.connectionId(),
                        work.kind());
            } else {
                StepWarnings.begin();
                try {
                    result = handler.run(work);
                } finally {
                    StepWarnings.end();
                }
            }
            outcome = result instanceof WorkResult.Park ? WorkMetrics.PARKED : WorkMetrics.DONE;
        } catch (RuntimeException e) {
            String error = Redactor.redact(e.toString());
            Duration delay = new WorkBackoff(backoff, maxBackoff).after(work.attempts() + 1, Optional.empty());
            LOG.warnf("work %s %d of connection %s failed (run %d), again in %d ms: %s", work.kind(), work.id(),
                    work.connectionId(), work.attempts() + 1, delay.toMillis(), error);
            result = WorkResult.park(delay, error);
            outcome = WorkMetrics.FAILED;
            span.failed(error);
        }
        try {
            metrics.ran(work.kind(), outcome, System.nanoTime() - started);
            record(work, result);
        } catch (RuntimeException e) {
            // The lease runs out and the item runs again: handlers are idempotent.
            LOG.warnf("work %s %d of connection %s: recording its outcome failed: %s", work.kind(), work.id(),
                    work.connectionId(), e.getMessage());
        } finally {
            runningItems.remove(work.id());
            runningConnections.remove(work.connectionId());
            permits.release(candidate.deployments());
            finished.incrementAndGet();
            // Read after the release: a look that began before it may have found this connection or permit busy.
            if (result instanceof WorkResult.Park || looking || leftBehind) {
                wake();
            }
        }
    }

    /** One update, whatever happened meanwhile: a cancelled item stays cancelled, only its lease is released. */
    private void record(Work work, WorkResult result) {
        Instant now = Instant.now();
        if (result instanceof WorkResult.Park park) {
            Instant due = now.plus(park.delay());
            String error = park.reason() == null ? null : Redactor.redact(park.reason());
            QuarkusTransaction.requiringNew().run(() -> WorkItem.update("attempts = ?1, leaseUntil = null,"
                    + " leaseOwner = null, dueAt = case when state = ?2 then ?3 else dueAt end,"
                    + " checkpoint = coalesce(?4, checkpoint), lastError = ?5 where id = ?6",
                    work.attempts() + 1, WorkState.PENDING, due, park.checkpoint(), error, work.id()));
            // Also when the item was cancelled meanwhile: one look too many costs nothing.
            parkedUntil.add(due);
        } else {
            QuarkusTransaction.requiringNew().run(() -> WorkItem.update("attempts = ?1, leaseUntil = null,"
                    + " leaseOwner = null, finishedAt = case when state = ?2 then ?3 else finishedAt end,"
                    + " state = case when state = ?2 then ?4 else state end where id = ?5",
                    work.attempts() + 1, WorkState.PENDING, now, WorkState.DONE, work.id()));
        }
    }

    private void housekeeping() {
        Instant now = Instant.now();
        if (!runningItems.isEmpty() && now.isAfter(nextHeartbeat)) {
            nextHeartbeat = now.plus(lease.dividedBy(3));
            QuarkusTransaction.requiringNew().run(() -> entityManager()
                    .createNativeQuery("update work_item set lease_until = :lease where id in (:ids) and lease_owner = :owner")
                    .setParameter("lease", now.plus(lease))
                    .setParameter("ids", List.copyOf(runningItems.keySet()))
                    .setParameter("owner", owner)
                    .executeUpdate());
        }
        if (now.isAfter(nextPrune)) {
            nextPrune = now.plus(PRUNE_EVERY);
            int pruned = QuarkusTransaction.requiringNew().call(() -> (int) WorkItem.delete(
                    "state <> ?1 and finishedAt < ?2", WorkState.PENDING, now.minus(retention)));
            if (pruned > 0) {
                LOG.infof("pruned %d finished work items older than %s", pruned, retention);
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private static EntityManager entityManager() {
        return WorkItem.getEntityManager();
    }
}

package io.crosslink.connect.service;

import io.crosslink.connect.client.TransientElasticException;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.events.StepFailure;
import io.crosslink.events.elastic.ElasticErrors;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs the work connections wait for ({@link PendingWork}): right after a transaction scheduled some, and every
 * poll interval for what a restart or a transient failure left; every poll interval it also ends the connections
 * whose saga deadline passed ({@link SagaDeadline}). One thread runs everything, and each unit of work holds its
 * connection's {@link WorkLock} while it calls Elastic, so the work of one connection never overlaps, in this
 * instance or another: a removal runs strictly after a registration still in flight. Transient Elastic failures
 * (after the clients' own retries) keep the work pending with an exponential backoff, at least as long as
 * Elastic's {@code Retry-After}; a registration or removal gives up after the configured number of attempts. Each
 * unit re-checks under a row lock before it commits, so running it twice changes nothing.
 */
@ApplicationScoped
public class PendingWorker {
    private static final Logger LOG = Logger.getLogger(PendingWorker.class);
    private static final int BATCH = 20;

    private final ConnectionChecks checks;
    private final RemoteRegistration registration;
    private final RemoteRemoval removal;
    private final SagaDeadline deadline;
    private final WorkLock locks;
    private final ConnectConfig.Work config;
    private final AtomicBoolean requested = new AtomicBoolean();
    private ScheduledExecutorService executor;

    public PendingWorker(ConnectionChecks checks, RemoteRegistration registration, RemoteRemoval removal,
            SagaDeadline deadline, WorkLock locks, ConnectConfig config) {
        this.checks = checks;
        this.registration = registration;
        this.removal = removal;
        this.deadline = deadline;
        this.locks = locks;
        this.config = config.work();
    }

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "connect-pending-work");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::tick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) WorkQueued queued) {
        if (executor != null && requested.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    void tick() {
        try {
            deadline.expireOverdue();
        } catch (RuntimeException e) {
            LOG.warnf("deadline scan interrupted, retrying in %s: %s", config.pollInterval(), e.getMessage());
        }
        drain();
    }

    /** Works through everything due. */
    void drain() {
        requested.set(false);
        try {
            List<Due> due;
            do {
                due = QuarkusTransaction.requiringNew().call(() -> Connection.due(Connection.now(), BATCH).stream()
                        .map(c -> new Due(c.id, c.pending)).toList());
                due.forEach(this::work);
            } while (due.size() == BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("pending work interrupted, retrying in %s: %s", config.pollInterval(), e.getMessage());
        }
    }

    private record Due(String connectionId, PendingWork work) {
    }

    private void work(Due due) {
        try (WorkLock.Held held = locks.tryLock(due.connectionId())) {
            if (held == null) {
                // Another instance works on this connection now: look again later, no attempt used.
                reschedule(due, config.pollInterval());
                return;
            }
            switch (due.work()) {
                case CHECKS -> checks.run(due.connectionId());
                case REGISTER_REMOTE, REREGISTER_REMOTE -> registration.run(due.connectionId(), due.work());
                case REMOVE_REMOTE -> removal.run(due.connectionId());
            }
        } catch (TransientElasticException e) {
            postpone(due, e.failure(), e.retryAfter());
        } catch (RuntimeException e) {
            LOG.errorf("%s of connection %s failed: %s", due.work(), due.connectionId(), e.toString());
            postpone(due, ElasticErrors.fromException(e), Optional.empty());
        }
    }

    /** Tries again later, or gives up a registration or removal that has used up its attempts. */
    private void postpone(Due due, StepFailure failure, Optional<Duration> retryAfter) {
        int attempts = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.lockedById(due.connectionId());
            if (connection == null || connection.pending != due.work()) {
                return 0;
            }
            connection.attempts++;
            Duration delay = backoff(connection.attempts);
            if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
                delay = retryAfter.get();
            }
            connection.nextAttemptAt = Instant.now().plus(delay);
            return connection.attempts;
        });
        if (attempts == 0) {
            return;
        }
        LOG.warnf("%s of connection %s failed (attempt %d), trying again: %s: %s", due.work(), due.connectionId(),
                attempts, failure.type(), failure.reason());
        if (due.work().registers() && attempts >= config.registrationAttempts()) {
            registration.giveUp(due.connectionId(), due.work(), failure);
        } else if (due.work() == PendingWork.REMOVE_REMOTE && attempts >= config.removalAttempts()) {
            removal.giveUp(due.connectionId(), failure);
        }
    }

    private void reschedule(Due due, Duration delay) {
        QuarkusTransaction.requiringNew().run(() -> {
            Connection connection = Connection.lockedById(due.connectionId());
            if (connection != null && connection.pending == due.work()) {
                connection.nextAttemptAt = Instant.now().plus(delay);
            }
        });
    }

    /** Exponential, at most the configured maximum, plus up to 20 % jitter so retries of many connections spread. */
    Duration backoff(int attempts) {
        Duration delay = config.backoff().multipliedBy(1L << Math.min(attempts - 1, 16));
        delay = delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
        return delay.plusMillis((long) (delay.toMillis() * 0.2 * ThreadLocalRandom.current().nextDouble()));
    }
}

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs the work connections wait for ({@link PendingWork}): right after a transaction scheduled some, and every
 * poll interval for what a restart or a transient failure left. Transient Elastic failures (after the clients'
 * own retries) keep the work pending with an exponential backoff; a registration gives up after the configured
 * number of attempts. Each unit of work re-checks under a row lock before it commits, so running it twice
 * (another instance, a redelivery) changes nothing.
 */
@ApplicationScoped
public class PendingWorker {
    private static final Logger LOG = Logger.getLogger(PendingWorker.class);
    private static final int BATCH = 20;

    private final ConnectionChecks checks;
    private final RemoteRegistration registration;
    private final ConnectConfig.Work config;
    private final AtomicBoolean requested = new AtomicBoolean();
    private ScheduledExecutorService executor;

    public PendingWorker(ConnectionChecks checks, RemoteRegistration registration, ConnectConfig config) {
        this.checks = checks;
        this.registration = registration;
        this.config = config.work();
    }

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "connect-pending-work");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::drain, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
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
        try {
            switch (due.work()) {
                case CHECKS -> checks.run(due.connectionId());
                case REGISTER_REMOTE -> registration.run(due.connectionId());
            }
        } catch (TransientElasticException e) {
            postpone(due, e.failure());
        } catch (RuntimeException e) {
            LOG.errorf("%s of connection %s failed: %s", due.work(), due.connectionId(), e.toString());
            postpone(due, ElasticErrors.fromException(e));
        }
    }

    /** Tries again later, or fails a registration that has used up its attempts. */
    private void postpone(Due due, StepFailure failure) {
        int attempts = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.lockedById(due.connectionId());
            if (connection == null || connection.pending != due.work()) {
                return 0;
            }
            connection.attempts++;
            connection.nextAttemptAt = Instant.now().plus(backoff(connection.attempts));
            return connection.attempts;
        });
        LOG.warnf("%s of connection %s failed (attempt %d), trying again: %s: %s", due.work(), due.connectionId(),
                attempts, failure.type(), failure.reason());
        if (due.work() == PendingWork.REGISTER_REMOTE && attempts >= config.registrationAttempts()) {
            registration.giveUp(due.connectionId(), failure);
        }
    }

    Duration backoff(int attempts) {
        Duration delay = config.backoff().multipliedBy(1L << Math.min(attempts - 1, 16));
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }
}

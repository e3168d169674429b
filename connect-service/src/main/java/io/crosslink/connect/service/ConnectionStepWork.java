package io.crosslink.connect.service;

import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.ElasticErrors;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkBackoff;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs connect-service's steps ({@link PendingWork}) as work items of the shared work mechanism: the dispatcher
 * bounds them per deployment and never overlaps two items of one connection, in this instance or another, so a
 * removal runs strictly after a registration still in flight. A transient Elastic failure parks the item with
 * backoff (at least Elastic's {@code Retry-After}); a registration gives up after its configured attempts, a removal
 * retries until shortly before its undo chain's deadline ({@link UndoBudget}; after its attempts for a chain stored
 * without one), the checks run until the saga deadline ends them. Each step re-checks under a row lock that the
 * connection still waits for it before it commits, so running it twice changes nothing.
 */
@ApplicationScoped
public class ConnectionStepWork {
    private static final Logger LOG = Logger.getLogger(ConnectionStepWork.class);

    private final ConnectionChecks checks;
    private final RemoteRegistration registration;
    private final RemoteRemoval removal;
    private final RemoteWatch watch;
    private final ConnectConfig.Work config;
    private final WorkBackoff backoff;
    private final UndoBudget undoBudget;

    public ConnectionStepWork(ConnectionChecks checks, RemoteRegistration registration, RemoteRemoval removal,
            RemoteWatch watch, ConnectConfig config, @ConfigProperty(name = "crosslink.work.backoff", defaultValue = "2s") Duration base,
            @ConfigProperty(name = "crosslink.work.max-backoff", defaultValue = "1m") Duration max) {
        this.checks = checks;
        this.registration = registration;
        this.removal = removal;
        this.watch = watch;
        this.config = config.work();
        this.backoff = new WorkBackoff(base, max);
        this.undoBudget = new UndoBudget(config.saga().undoReportMargin(), Clock.systemUTC());
    }

    WorkResult run(Work work, PendingWork step) {
        try {
            switch (step) {
                case CHECKS -> checks.run(work.connectionId());
                case REGISTER_REMOTE, REREGISTER_REMOTE -> registration.run(work.connectionId(), step);
                case REMOVE_REMOTE -> removal.run(work.connectionId());
                case WATCH_REMOTE -> {
                    return watch.run(work);
                }
            }
            return WorkResult.done();
        } catch (ElasticCallException e) {
            // Transient, or a permanent failure outside an answer (TLS, configuration): tried again, then given up.
            return postpone(work, step, e.failure(), e.retryAfter());
        } catch (RuntimeException e) {
            LOG.errorf("%s of connection %s failed: %s", step, work.connectionId(), e.toString());
            return postpone(work, step, ElasticErrors.fromException(e), Optional.empty());
        }
    }

    /** Parks the item for another try, or gives up a registration or removal that has used up its attempts. */
    private WorkResult postpone(Work work, PendingWork step, StepFailure failure, Optional<Duration> retryAfter) {
        int attempts = work.attempts() + 1;
        LOG.warnf("%s of connection %s failed (attempt %d): %s: %s", step, work.connectionId(), attempts,
                failure.type(), failure.reason());
        if (step.registers() && attempts >= config.registrationAttempts()) {
            registration.giveUp(work.connectionId(), step, failure);
            return WorkResult.done();
        }
        Duration delay = backoff.after(attempts, retryAfter);
        if (step == PendingWork.REMOVE_REMOTE && !removalMayRetry(work, attempts, delay)) {
            removal.giveUp(work.connectionId(), failure);
            return WorkResult.done();
        }
        return WorkResult.park(delay, failure.type() + ": " + failure.reason());
    }

    /** Until shortly before the chain's deadline; a chain stored without one counts attempts. */
    private boolean removalMayRetry(Work work, int attempts, Duration delay) {
        Optional<Boolean> withinBudget = removal.chain(work.connectionId())
                .flatMap(chain -> undoBudget.allowsRetryAfter(chain, delay));
        return withinBudget.orElse(attempts < config.removalAttempts());
    }

    /** One handler per step, so each step is its own kind of work item. */
    abstract static class StepHandler implements WorkHandler {
        @Inject
        ConnectionStepWork steps;

        abstract PendingWork step();

        @Override
        public String kind() {
            return step().kind();
        }

        @Override
        public WorkResult run(Work work) {
            return steps.run(work, step());
        }
    }

    @ApplicationScoped
    static class Checks extends StepHandler {
        @Override
        PendingWork step() {
            return PendingWork.CHECKS;
        }
    }

    @ApplicationScoped
    static class Register extends StepHandler {
        @Override
        PendingWork step() {
            return PendingWork.REGISTER_REMOTE;
        }
    }

    @ApplicationScoped
    static class Reregister extends StepHandler {
        @Override
        PendingWork step() {
            return PendingWork.REREGISTER_REMOTE;
        }
    }

    @ApplicationScoped
    static class Watch extends StepHandler {
        @Override
        PendingWork step() {
            return PendingWork.WATCH_REMOTE;
        }
    }

    @ApplicationScoped
    static class Remove extends StepHandler {
        @Override
        PendingWork step() {
            return PendingWork.REMOVE_REMOTE;
        }
    }
}

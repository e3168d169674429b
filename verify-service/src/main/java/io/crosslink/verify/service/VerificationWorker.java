package io.crosslink.verify.service;

import io.crosslink.events.elastic.ElasticErrors;
import io.crosslink.verify.config.VerifyConfig;
import io.crosslink.verify.domain.AttemptResult;
import io.crosslink.verify.domain.ProbeTarget;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs due verification attempts every {@code crosslink.verify.poll-interval}: claim (one short transaction),
 * ask Elasticsearch (no transaction held), conclude (one transaction with the emitted event). The retries are
 * the job's own schedule rather than an in-memory retry, because they must outlive a restart and respect a
 * deadline; a crash mid-attempt leaves a lease that expires, and the attempt runs again. {@link #runSoon()}
 * starts a run at once when a verification was queued, instead of waiting for the next tick. Runs may overlap
 * (tick, nudge, several instances): claiming is row-locked and leased, so no attempt runs twice.
 */
@ApplicationScoped
public class VerificationWorker {
    private static final Logger LOG = Logger.getLogger(VerificationWorker.class);

    private final VerificationStep step;
    private final ConnectionProver prover;
    private final int batchSize;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final ExecutorService nudges = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "verification-nudge");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public VerificationWorker(VerificationStep step, ConnectionProver prover, VerifyConfig config) {
        this(step, prover, config.batchSize());
    }

    public VerificationWorker(VerificationStep step, ConnectionProver prover, int batchSize) {
        this.step = step;
        this.prover = prover;
        this.batchSize = batchSize;
    }

    /** Runs the due attempts soon, on a thread of its own (the caller, a Kafka consumer, goes on at once). */
    public void runSoon() {
        if (nudged.compareAndSet(false, true)) {
            nudges.execute(() -> {
                nudged.set(false);
                tick();
            });
        }
    }

    @PreDestroy
    void stop() {
        nudges.shutdownNow();
    }

    @Scheduled(every = "${crosslink.verify.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            while (runDue() == batchSize) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            LOG.warnf("verification run failed, trying again on the next tick: %s", e.getMessage());
        }
    }

    /** Runs the attempts due now; returns how many ran. */
    public int runDue() {
        List<ProbeTarget> due = step.claimDue(batchSize);
        for (ProbeTarget target : due) {
            AttemptResult result;
            try {
                result = prover.attempt(target);
            } catch (RuntimeException e) {
                result = AttemptResult.Unproven.retry(ElasticErrors.fromException(e));
            }
            step.conclude(target.connectionId(), result);
        }
        return due.size();
    }
}

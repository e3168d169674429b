package io.crosslink.verify.service;

import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.elastic.ElasticErrors;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.verify.domain.AttemptResult;
import io.crosslink.verify.domain.ProbeTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs the {@value VerificationStep#KIND} work item that RemoteConnected queued: ONE attempt per run, on a worker
 * of the dispatcher (which holds a permit for L, so a deployment that answers slowly, or not at all, ties up at most
 * {@code crosslink.work.per-deployment} workers and delays nobody else). Then it concludes: proven →
 * ConnectionVerified and done; not proven before the deadline → parked until the next attempt (the verification's
 * {@link io.crosslink.verify.domain.RetryPolicy RetryPolicy}; no thread waits); hopeless or past the deadline →
 * VerificationFailed and done. The deadline and the attempts are the verification's own record. A run for a
 * verification that is no longer going on (cancelled by compensation, ended by an earlier run of the same item,
 * superseded by a new registration) does nothing and is done.
 */
@ApplicationScoped
public class VerifyConnectionHandler implements WorkHandler {
    private static final Logger LOG = Logger.getLogger(VerifyConnectionHandler.class);

    private final VerificationStep step;
    private final ConnectionProver prover;

    public VerifyConnectionHandler(VerificationStep step, ConnectionProver prover) {
        this.step = step;
        this.prover = prover;
    }

    @Override
    public String kind() {
        return VerificationStep.KIND;
    }

    @Override
    public WorkResult run(Work work) {
        String trigger = work.event(RemoteConnected.class).eventId();
        Optional<ProbeTarget> target = step.begin(work.connectionId(), trigger);
        if (target.isEmpty()) {
            LOG.debugf("connection %s: verification no longer pending, work item %d has nothing to do",
                    work.connectionId(), work.id());
            return WorkResult.done();
        }
        AttemptResult result;
        try {
            result = prover.attempt(target.get());
        } catch (RuntimeException e) {
            // Something the prover did not expect: an unproven attempt like any other, retried on schedule.
            result = AttemptResult.Unproven.retry(ElasticErrors.fromException(e));
        }
        VerificationStep.Conclusion conclusion = step.conclude(work.connectionId(), trigger, result);
        if (conclusion instanceof VerificationStep.Conclusion.TryAgain again) {
            return WorkResult.park(again.delay(), again.cause().type() + ": " + again.cause().reason());
        }
        return WorkResult.done();
    }
}

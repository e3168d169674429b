package io.crosslink.trust.service;

import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Strong identity's half of the keystore step (issue #16): R lists L's signing CA in its persistent
 * {@code cluster.remote.signing.certificate_authorities}. The consumer records the grant with the request
 * ({@link KeystoreLedger#accept}) and queues a {@value #KIND} item on R; the item writes R's whole list
 * ({@link SigningCaWriter}). KeystoreUpdated comes once both this and the keystore entry are done, in either order;
 * a final failure here is the step's KeystoreUpdateFailed (once). A transient failure parks the item
 * ({@link CloudApiRetry}) and the next run writes the list again.
 */
@ApplicationScoped
public class SigningCaGrantService implements WorkHandler {
    /** The work item that lists L's signing CA on R; its deployment is R. */
    public static final String KIND = "grant-signing-ca";
    private static final Logger LOG = Logger.getLogger(SigningCaGrantService.class);

    private final SigningCaLedger ledger;
    private final SigningCaWriter writer;
    private final CloudApiRetry retry;

    public SigningCaGrantService(SigningCaLedger ledger, SigningCaWriter writer, CloudApiRetry retry) {
        this.ledger = ledger;
        this.writer = writer;
        this.retry = retry;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public WorkResult run(Work work) {
        Optional<PendingGrant> due = ledger.beginGrant(work.connectionId());
        if (due.isEmpty()) {
            return WorkResult.done();
        }
        PendingGrant grant = due.get();
        try {
            writer.grant(grant);
            return WorkResult.done();
        } catch (TransientElasticCallException e) {
            return tryAgain(work, grant, e.failure(), e.retryAfter());
        } catch (ElasticCallException e) {
            return failed(grant, e.failure());
        }
    }

    private WorkResult tryAgain(Work work, PendingGrant grant, StepFailure failure, Optional<Duration> retryAfter) {
        Optional<Duration> delay = retry.nextDelay(work, retryAfter);
        if (delay.isEmpty()) {
            return failed(grant, failure);
        }
        LOG.infof("connection %s: listing %s on %s failed (run %d of %d): %s: %s; again in %d ms",
                grant.connectionId(), grant.caPath(), grant.deploymentId(), work.attempts() + 1, retry.attempts(),
                failure.type(), failure.reason(), delay.get().toMillis());
        return WorkResult.park(delay.get(), failure.type() + ": " + failure.reason());
    }

    private WorkResult failed(PendingGrant grant, StepFailure failure) {
        LOG.warnf("connection %s: listing %s on %s failed: %s: %s", grant.connectionId(), grant.caPath(),
                grant.deploymentId(), failure.type(), failure.reason());
        ledger.grantFailed(grant, failure);
        return WorkResult.done();
    }
}

package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.trust.client.CloudApiException;
import io.crosslink.trust.domain.TrustEditState;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The undo of the certificate-model trust step, trust-service's link of that model's compensation chain.
 * CompensationStarted leaves a tombstone (no trust is written for the connection any more). RemoteRemoved or
 * RemoteRemovalFailed (the previous link, done or not) removes from each deployment's trust exactly what the
 * step's recorded edits added, keeping every other entry and field, waits until no plan is pending, and emits
 * TrustRemoved(edits, removed), TrustRemoved(removed=false) at once when the step changed nothing, or
 * TrustRemovalFailed after the retries. A step still running or finishing late is undone too: its edits are
 * recorded before their PUTs and a PUT in flight holds the deployment's lock, which the removal waits for.
 */
@ApplicationScoped
public class CertificateUndoService {
    private static final Logger LOG = Logger.getLogger(CertificateUndoService.class);

    private final TrustLedger ledger;
    private final TrustWriter writer;
    private final PlanWaiter plans;

    public CertificateUndoService(TrustLedger ledger, TrustWriter writer, PlanWaiter plans) {
        this.ledger = ledger;
        this.writer = writer;
        this.plans = plans;
    }

    /** Records the tombstone. What throws is infrastructure (the database), retried as in the step. */
    @Retry(maxRetries = 4, delay = 1000, jitter = 500)
    @ExponentialBackoff(maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void compensationStarted(CompensationStarted event) {
        ledger.compensationStarted(event);
    }

    /** Whether the connection is of the certificate model (this service took its request): the undo is then this. */
    public boolean handles(String connectionId) {
        return ledger.certificateModel(connectionId);
    }

    /**
     * Removes the step's trust after the remote's removal (RemoteRemoved or RemoteRemovalFailed). What throws is
     * infrastructure, retried as a whole: removing is idempotent.
     */
    @Retry(maxRetries = 4, delay = 1000, jitter = 500)
    @ExponentialBackoff(maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void removeTrust(ConnectionEvent trigger) {
        Optional<PendingTrustRemoval> due = ledger.startRemoval(trigger);
        if (due.isEmpty()) {
            return;
        }
        PendingTrustRemoval removal = due.get();
        boolean removed = removal.edits().stream().anyMatch(owned -> owned.state() != TrustEditState.PLANNED);
        List<DeploymentInfo> changed = new ArrayList<>();
        StepFailure failure;
        TrustEdit current = null;
        try {
            for (PendingTrustRemoval.Owned owned : removal.edits()) {
                current = owned.edit();
                DeploymentInfo self = removal.deployment(current);
                if (writer.untrust(removal.connectionId(), self, owned, removal.peer(current).kind())) {
                    changed.add(self);
                }
            }
            current = null;
            if (!changed.isEmpty()) {
                plans.awaitNoPendingPlan(changed);
            }
            ledger.removed(trigger, removal, removed || !changed.isEmpty());
            LOG.infof("connection %s: the saga's trust is gone from %s", removal.connectionId(),
                    changed.isEmpty() ? "both deployments (nothing was left)" : changed.stream()
                            .map(DeploymentInfo::deploymentId).toList());
            return;
        } catch (TrustStepException e) {
            failure = e.failure();
        } catch (CloudApiException e) {
            failure = e.failure();
        } catch (TimeoutException e) {
            failure = new StepFailure("timeout", "the Cloud API did not answer in time", null, true);
        }
        failure = leftover(failure, current);
        LOG.warnf("connection %s: removing trust failed: %s: %s", removal.connectionId(), failure.type(),
                failure.reason());
        ledger.removalFailed(trigger, removal, failure);
    }

    /** Names what may be left (the {@code trust_entry} leftover) in the failure's reason. */
    private static StepFailure leftover(StepFailure failure, TrustEdit edit) {
        if (edit == null) {
            return failure;
        }
        return new StepFailure(failure.type(), "trust entry " + edit.entry() + ":" + edit.scopeId()
                + " of deployment [" + edit.deploymentId() + "] may still hold the saga's part: " + failure.reason(),
                failure.httpStatus(), failure.retryable());
    }
}

package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.StepFailure;
import io.crosslink.trust.client.CloudApiException;
import io.crosslink.trust.client.KeystoreClient;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The undo of the keystore step, trust-service's link of the compensation chain. CompensationStarted leaves a
 * tombstone (the keystore is never written for the connection again). RemoteRemoved or RemoteRemovalFailed (the
 * previous link, done or not) removes {@code cluster.remote.<alias>.credentials} from L's keystore if this service
 * wrote it or may have, and emits KeystoreEntryRemoved(removed=true), or KeystoreEntryRemoved(removed=false)
 * without calling the Cloud API when nothing was written, or KeystoreEntryRemovalFailed (redacted). A new trigger
 * (a repeated chain) runs the idempotent removal again; a redelivered one changes nothing.
 */
@ApplicationScoped
public class KeystoreUndoService {
    private static final Logger LOG = Logger.getLogger(KeystoreUndoService.class);

    private final RemovalLedger ledger;
    private final KeystoreClient keystore;

    public KeystoreUndoService(RemovalLedger ledger, KeystoreClient keystore) {
        this.ledger = ledger;
        this.keystore = keystore;
    }

    /** Records the tombstone. What throws is infrastructure (the database), retried as in the forward step. */
    @Retry(maxRetries = 4, delay = 1000, jitter = 500)
    @ExponentialBackoff(maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void compensationStarted(CompensationStarted event) {
        ledger.compensationStarted(event);
    }

    /**
     * Removes the keystore entry after the remote's removal (RemoteRemoved or RemoteRemovalFailed). What throws is
     * infrastructure, retried as a whole: the removal is idempotent.
     */
    @Retry(maxRetries = 4, delay = 1000, jitter = 500)
    @ExponentialBackoff(maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void removeEntry(ConnectionEvent trigger) {
        Optional<PendingRemoval> due = ledger.startRemoval(trigger);
        if (due.isEmpty()) {
            return;
        }
        PendingRemoval removal = due.get();
        StepFailure failure;
        try {
            keystore.removeSecret(removal.resource(), removal.settingName());
            ledger.removed(trigger, removal);
            LOG.infof("connection %s: %s removed from the keystore of %s", removal.connectionId(),
                    removal.settingName(), removal.resource().deploymentId());
            return;
        } catch (CloudApiException e) {
            failure = e.failure();
        } catch (TimeoutException e) {
            failure = new StepFailure("timeout", "the Cloud API did not answer the keystore removal in time", null,
                    true);
        }
        LOG.warnf("connection %s: removing %s from the keystore of %s failed: %s: %s", removal.connectionId(),
                removal.settingName(), removal.resource().deploymentId(), failure.type(), failure.reason());
        ledger.removalFailed(trigger, removal, failure);
    }
}

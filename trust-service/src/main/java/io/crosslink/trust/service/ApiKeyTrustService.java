package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.trust.client.KeystoreClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * The API-key trust step: once both the request (ConnectionRequested) and the key (KeyCreated) of a connection
 * are here, in either order, puts the encoded key into L's keystore as {@code cluster.remote.<alias>.credentials}
 * and emits KeystoreUpdated, or KeystoreUpdateFailed with Elastic's reason, redacted. The key is opened only in
 * memory, for the call. A KeyCreated with another key id (a replaced key) writes the keystore again. Once
 * compensation began for the connection ({@link KeystoreUndoService}) nothing is written for it any more.
 *
 * <p>The consumer only records ({@link #handle}: the event, its half and a {@value #KIND} work item, in one
 * transaction). The work item ({@link #run}, on a worker thread) makes the PATCH and commits its outcome; a transient
 * failure parks it ({@link CloudApiRetry}) and it runs again, up to the configured attempts, then
 * KeystoreUpdateFailed.
 */
@ApplicationScoped
public class ApiKeyTrustService implements WorkHandler {
    /** The work item that writes the keystore entry; its deployment is L. */
    public static final String KIND = "write-keystore";
    private static final Logger LOG = Logger.getLogger(ApiKeyTrustService.class);

    private final KeystoreLedger ledger;
    private final KeystoreClient keystore;
    private final SecretBox secretBox;
    private final CloudApiRetry retry;

    public ApiKeyTrustService(KeystoreLedger ledger, KeystoreClient keystore, SecretBox secretBox,
            CloudApiRetry retry) {
        this.ledger = ledger;
        this.keystore = keystore;
        this.secretBox = secretBox;
        this.retry = retry;
    }

    /**
     * The consumer's part of a ConnectionRequested (API-key model) or a KeyCreated: records it and queues the write
     * it makes due; no Cloud API call. What throws is the database, tried again briefly as a whole (idempotent)
     * before the record goes to the dead-letter topic.
     */
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public void handle(ConnectionEvent event) {
        ledger.accept(event);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Writes the connection's due key (whatever key is current when it runs) and records the outcome. */
    @Override
    public WorkResult run(Work work) {
        Optional<PendingUpdate> due = ledger.beginWrite(work.connectionId());
        if (due.isEmpty()) {
            return WorkResult.done();
        }
        PendingUpdate update = due.get();
        try {
            keystore.putSecret(update.resource(), update.settingName(),
                    secretBox.open(update.sealedKey(), update.connectionId()));
        } catch (SecretBox.SecretException e) {
            return failed(update, new StepFailure("sealed_key_unreadable", e.getMessage(), null, false));
        } catch (TransientElasticCallException e) {
            return tryAgain(work, update, e.failure(), e.retryAfter());
        } catch (ElasticCallException e) {
            return failed(update, e.failure());
        }
        ledger.written(update);
        LOG.infof("connection %s: %s written to the keystore of %s (key %s)", update.connectionId(),
                update.settingName(), update.resource().deploymentId(), update.keyId());
        return WorkResult.done();
    }

    /** Parks after a failure that may pass; out of attempts, the failure is final. */
    private WorkResult tryAgain(Work work, PendingUpdate update, StepFailure failure, Optional<Duration> retryAfter) {
        Optional<Duration> delay = retry.nextDelay(work, retryAfter);
        if (delay.isEmpty()) {
            return failed(update, failure);
        }
        ledger.writeInDoubt(update);
        LOG.infof("connection %s: keystore update of %s failed (run %d of %d): %s: %s; again in %d ms",
                update.connectionId(), update.resource().deploymentId(), work.attempts() + 1, retry.attempts(),
                failure.type(), failure.reason(), delay.get().toMillis());
        return WorkResult.park(delay.get(), failure.type() + ": " + failure.reason());
    }

    private WorkResult failed(PendingUpdate update, StepFailure failure) {
        LOG.warnf("connection %s: keystore update of %s failed: %s: %s", update.connectionId(),
                update.resource().deploymentId(), failure.type(), failure.reason());
        ledger.writeFailed(update, failure);
        return WorkResult.done();
    }
}

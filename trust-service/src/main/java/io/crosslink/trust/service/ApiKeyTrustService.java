package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.StepFailure;
import io.crosslink.events.secret.SecretBox;
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
 * The API-key trust step: once both the request (ConnectionRequested) and the key (KeyCreated) of a connection
 * are here, in either order, puts the encoded key into L's keystore as {@code cluster.remote.<alias>.credentials}
 * and emits KeystoreUpdated, or KeystoreUpdateFailed with Elastic's reason, redacted. The key is opened only in
 * memory, for the call. A KeyCreated with another key id (a replaced key) writes the keystore again. Once
 * compensation began for the connection ({@link KeystoreUndoService}) nothing is written for it any more.
 */
@ApplicationScoped
public class ApiKeyTrustService {
    private static final Logger LOG = Logger.getLogger(ApiKeyTrustService.class);

    private final KeystoreLedger ledger;
    private final KeystoreClient keystore;
    private final SecretBox secretBox;

    public ApiKeyTrustService(KeystoreLedger ledger, KeystoreClient keystore, SecretBox secretBox) {
        this.ledger = ledger;
        this.keystore = keystore;
        this.secretBox = secretBox;
    }

    /**
     * Handles a ConnectionRequested (API-key model) or a KeyCreated. Elastic's answers become events; what
     * throws is infrastructure (the database), retried here as a whole, which is safe as every part is
     * idempotent, before the record goes to the dead-letter topic.
     */
    @Retry(maxRetries = 4, delay = 1000, jitter = 500)
    @ExponentialBackoff(maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void handle(ConnectionEvent event) {
        ledger.accept(event).ifPresent(update -> ledger.write(event, update, this::writeKey));
    }

    /** Opens the key in memory and writes it; the failure, if any, as it goes into KeystoreUpdateFailed. */
    private Optional<StepFailure> writeKey(PendingUpdate update) {
        StepFailure failure;
        try {
            keystore.putSecret(update.resource(), update.settingName(),
                    secretBox.open(update.sealedKey(), update.connectionId()));
            LOG.infof("connection %s: %s written to the keystore of %s (key %s)", update.connectionId(),
                    update.settingName(), update.resource().deploymentId(), update.keyId());
            return Optional.empty();
        } catch (SecretBox.SecretException e) {
            failure = new StepFailure("sealed_key_unreadable", e.getMessage(), null, false);
        } catch (CloudApiException e) {
            failure = e.failure();
        } catch (TimeoutException e) {
            failure = new StepFailure("timeout", "the Cloud API did not answer the keystore update in time", null,
                    true);
        }
        LOG.warnf("connection %s: keystore update of %s failed: %s: %s", update.connectionId(),
                update.resource().deploymentId(), failure.type(), failure.reason());
        return Optional.of(failure);
    }
}

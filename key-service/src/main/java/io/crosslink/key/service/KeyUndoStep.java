package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.events.messaging.Outbox;
import io.crosslink.key.client.ElasticCallException;
import io.crosslink.key.domain.Invalidation;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * key-service's part of compensation. CompensationStarted leaves a tombstone (no key is created or announced for
 * the connection afterwards). KeystoreEntryRemoved or KeystoreEntryRemovalFailed, the previous link of the undo
 * chain, has every active key of the connection invalidated on R and ends in KeyInvalidated or
 * KeyInvalidationFailed. When the undo comes before ConnectionRequested was seen (the topics are read
 * independently), it waits in the tombstone until the request says where R is ({@link KeyCreationStep}).
 * Every undo acts on what exists on R, so a repeated chain simply runs again and announces again.
 *
 * <p>A certificate-model connection has no key: its undo chain ends with trust-service's TrustRemoved, which
 * key-service ignores; should a keystore undo event arrive for it anyway, it is recorded and nothing is announced.
 */
@ApplicationScoped
public class KeyUndoStep {
    private static final Logger LOG = Logger.getLogger(KeyUndoStep.class);

    private final KeyRegistry registry;
    private final KeyInvalidator invalidator;
    private final Clock clock;

    @Inject
    public KeyUndoStep(KeyRegistry registry, KeyInvalidator invalidator) {
        this(registry, invalidator, Clock.systemUTC());
    }

    KeyUndoStep(KeyRegistry registry, KeyInvalidator invalidator, Clock clock) {
        this.registry = registry;
        this.invalidator = invalidator;
        this.clock = clock;
    }

    public void onCompensationStarted(CompensationStarted event) {
        if (registry.processed(event.eventId())) {
            return;
        }
        registry.inTransaction(event.connectionId(), tx -> {
            tx.save(tx.connection().compensationStarted());
            tx.applied(event);
            return null;
        });
        LOG.infof("connection %s: compensation started (%s); no key will be created or announced for it",
                event.connectionId(), event.cause());
    }

    /** KeystoreEntryRemoved or KeystoreEntryRemovalFailed: the keystore undo is over, now the key goes. */
    public void onUndoRequested(ConnectionEvent event) {
        if (registry.processed(event.eventId())) {
            LOG.debugf("event %s of connection %s was applied already", event.eventId(), event.connectionId());
            return;
        }
        // Committed before R is searched: a key create finishing meanwhile sees it and undoes its own key.
        TrackedConnection connection = registry.inTransaction(event.connectionId(), tx -> {
            TrackedConnection asked = tx.connection().undoAsked();
            tx.save(asked);
            if (!asked.isRequested()) {
                tx.applied(event); // the pending undo is the state change; ConnectionRequested will finish it
            }
            return asked;
        });
        if (!connection.isRequested()) {
            LOG.infof("connection %s: key undo asked for before its ConnectionRequested arrived; it runs when the"
                    + " request says which deployment to search", event.connectionId());
            return;
        }
        undo(event, connection);
    }

    /**
     * Invalidates the connection's keys on R, then applies {@code cause} in one transaction with the outcome:
     * KeyInvalidated, or KeyInvalidationFailed once retries of transient errors are spent (at once on a
     * permanent error). {@code connection} says where R is. A connection without a key on R (certificate model)
     * only has {@code cause} recorded.
     */
    void undo(ConnectionEvent cause, TrackedConnection connection) {
        String connectionId = cause.connectionId();
        if (!connection.hasKeyOnRemote()) {
            // Certificate model: no key, and its undo chain ends with TrustRemoved, not with key-service. Announcing
            // KeyInvalidated would end connect-service's chain early, so the undo is only recorded.
            registry.inTransaction(connectionId, tx -> {
                tx.save(connection.undoAsked());
                tx.applied(cause);
                return null;
            });
            LOG.infof("connection %s uses %s: no key to invalidate, nothing to announce", connectionId,
                    connection.securityModel());
            return;
        }
        List<String> recorded = registry.inTransaction(connectionId, tx -> tx.key()
                .filter(IssuedKey::isActive).map(key -> List.of(key.keyId())).orElse(List.of()));
        Invalidation invalidation = null;
        StepFailure failure = null;
        try {
            invalidation = invalidator.invalidate(connectionId, connection.remoteDeploymentId(), recorded);
        } catch (ElasticCallException e) {
            failure = e.failure();
        } catch (TimeoutException e) {
            failure = new StepFailure("timeout", "invalidating the API keys of connection " + connectionId
                    + " on deployment " + connection.remoteDeploymentId() + " did not finish in time", null, true);
        }
        ConnectionEvent outcome = invalidation != null
                ? new KeyInvalidated(Outbox.newEventId(), connectionId, clock.instant(), invalidation.keyIds(),
                        invalidation.removed())
                : new KeyInvalidationFailed(Outbox.newEventId(), connectionId, clock.instant(), failure);
        boolean invalidated = invalidation != null;
        registry.inTransaction(connectionId, tx -> {
            tx.save(connection.undoAsked());
            if (invalidated) {
                tx.key().filter(IssuedKey::isActive).ifPresent(key -> tx.save(key.invalidated()));
            }
            tx.applied(cause);
            tx.publish(outcome);
            return null;
        });
        if (outcome instanceof KeyInvalidationFailed failed) {
            LOG.warnf("connection %s: invalidating its key on deployment %s failed (%s, retryable %s): %s",
                    connectionId, connection.remoteDeploymentId(), failed.failure().type(), failed.failure().retryable(),
                    failed.failure().reason());
        } else {
            LOG.infof("connection %s: key undo done (key ids %s, removed %s)", connectionId, invalidation.keyIds(),
                    invalidation.removed());
        }
    }
}

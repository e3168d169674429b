package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.key.domain.TrackedConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * key-service's part of compensation, as the consumers apply it (nothing here calls Elastic). CompensationStarted
 * leaves a tombstone (no key is created or announced for the connection afterwards). KeystoreEntryRemoved or
 * KeystoreEntryRemovalFailed, the previous link of the undo chain, records that the undo was asked for and queues
 * the {@value KeyWork#INVALIDATE_KEYS} work item: {@link InvalidateKeysHandler} invalidates every active key of the
 * connection on R and ends in KeyInvalidated or KeyInvalidationFailed. When the undo comes before ConnectionRequested
 * was seen (the topics are read independently), it waits in the tombstone until the request says where R is
 * ({@link KeyCreationStep}). Every undo acts on what exists on R, so a repeated chain simply runs again and
 * announces again.
 *
 * <p>A certificate-model connection has no key: its undo chain ends with trust-service's TrustRemoved, which
 * key-service ignores; should a keystore undo event arrive for it anyway, it is recorded and nothing is announced.
 */
@ApplicationScoped
public class KeyUndoStep {
    private static final Logger LOG = Logger.getLogger(KeyUndoStep.class);

    private final KeyRegistry registry;

    public KeyUndoStep(KeyRegistry registry) {
        this.registry = registry;
    }

    public void onCompensationStarted(CompensationStarted event) {
        registry.inTransaction(event.connectionId(), tx -> {
            if (tx.seen(event)) {
                return null;
            }
            tx.save(tx.connection().compensationStarted());
            tx.applied(event);
            LOG.infof("connection %s: compensation started (%s); no key will be created or announced for it",
                    event.connectionId(), event.cause());
            return null;
        });
    }

    /** KeystoreEntryRemoved or KeystoreEntryRemovalFailed: the keystore undo is over, now the key goes. */
    public void onUndoRequested(ConnectionEvent event) {
        String connectionId = event.connectionId();
        registry.inTransaction(connectionId, tx -> {
            if (tx.seen(event)) {
                LOG.debugf("event %s of connection %s was applied already", event.eventId(), connectionId);
                return null;
            }
            // Committed with the work item: a key create still running sees it when it commits.
            TrackedConnection asked = tx.connection().undoAsked();
            tx.save(asked);
            tx.applied(event);
            if (!asked.isRequested()) {
                LOG.infof("connection %s: key undo asked for before its ConnectionRequested arrived; it runs when the"
                        + " request says which deployment to search", connectionId);
            } else if (!asked.hasKeyOnRemote()) {
                // Certificate model: no key, and its undo chain ends with TrustRemoved, not with key-service.
                // Announcing KeyInvalidated would end connect-service's chain early, so the undo is only recorded.
                LOG.infof("connection %s uses %s: no key to invalidate, nothing to announce", connectionId,
                        asked.securityModel());
            } else {
                LOG.debugf("connection %s: key undo on deployment %s queued", connectionId, asked.remoteDeploymentId());
                tx.enqueue(KeyWork.INVALIDATE_KEYS, event, KeyWork.deployment(asked));
            }
            return null;
        });
    }
}

package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.key.domain.TrackedConnection;
import io.crosslink.runtime.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * key-service's part of compensation, as the consumers apply it (nothing here calls Elastic). CompensationStarted
 * leaves a tombstone (no key is created or announced for the connection afterwards). KeystoreEntryRemoved or
 * KeystoreEntryRemovalFailed, the previous link of the undo chain, records that the undo was asked for (with the run
 * of the chain it belongs to) and queues the {@value KeyWork#INVALIDATE_KEYS} work item: {@link InvalidateKeysHandler}
 * invalidates every active key of the connection on R and ends in KeyInvalidated or KeyInvalidationFailed. When the
 * undo comes before ConnectionRequested was seen (the topics are read independently), it waits in the tombstone until
 * the request says where R is ({@link KeyCreationStep}). Every undo acts on what exists on R, so a repeated chain
 * simply runs again and announces again.
 *
 * <p>A request key-service never read (dead-lettered on {@code connect-events}) would leave that wait endless. It
 * shows when CompensationStarted is applied with no request seen: they share the record key, so the request came
 * first and could not be read. No key was created for it, so the undo, asked before or after, is answered at once:
 * KeyInvalidated, nothing removed, in the transaction that records the second of the two.
 *
 * <p>A certificate-model connection has no key: its undo chain ends with trust-service's TrustRemoved, which
 * key-service ignores; should a keystore undo event arrive for it anyway, it is recorded and nothing is announced.
 */
@ApplicationScoped
public class KeyUndoStep {
    private static final Logger LOG = Logger.getLogger(KeyUndoStep.class);

    private final KeyRegistry registry;
    private final Clock clock;

    @Inject
    public KeyUndoStep(KeyRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    KeyUndoStep(KeyRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public void onCompensationStarted(CompensationStarted event) {
        String connectionId = event.connectionId();
        registry.inTransaction(connectionId, tx -> {
            if (tx.seen(event)) {
                return null;
            }
            TrackedConnection before = tx.connection();
            TrackedConnection started = before.compensationStarted(event.securityModel());
            tx.save(started);
            tx.applied(event);
            LOG.infof("connection %s: compensation started (%s); no key will be created or announced for it",
                    connectionId, event.cause());
            boolean foundUnread = started.requestUnread() && !before.requestUnread();
            if (foundUnread && started.undoRequested() && started.undoAnsweredAtOnce()) {
                answerNothingCreated(tx, started, "CompensationStarted came without it, its undo was waiting");
            } else if (foundUnread) {
                LOG.infof("connection %s: its ConnectionRequested was never read here (model named: %s); no key was"
                        + " created for it", connectionId, started.securityModel());
            }
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
            TrackedConnection asked = tx.connection().undoAsked(KeyWork.chainOf(event));
            tx.save(asked);
            tx.applied(event);
            if (asked.undoAnsweredAtOnce()) {
                answerNothingCreated(tx, asked, "CompensationStarted came without it");
            } else if (!asked.isRequested() && !asked.requestUnread()) {
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

    /**
     * The undo of a request key-service never read: it created no key (keys are created only after reading the
     * request) and R is unknown, so there is nothing to search; answering at once ends the chain's wait for it.
     */
    private void answerNothingCreated(KeyRegistry.Changes tx, TrackedConnection connection, String sign) {
        LOG.infof("connection %s: its ConnectionRequested was never read here (dead-lettered: %s), so no key was"
                + " created for it: key undo done at once, nothing removed", connection.connectionId(), sign);
        tx.publish(new KeyInvalidated(Outbox.newEventId(), connection.connectionId(), clock.instant(), List.of(),
                false, connection.undoChain()));
    }
}

package io.crosslink.key.domain;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.UndoChain;

/**
 * What key-service knows about a connection besides its key: where its key lives (R, from ConnectionRequested,
 * kept even when the create failed, so an undo can search R) and how far compensation has come. The two
 * consumers ({@code connect-events}, {@code trust-events}) read independently, so the undo may be asked for
 * before ConnectionRequested was seen; the flags make the order irrelevant.
 *
 * @param securityModel      from ConnectionRequested; when that was never read, as CompensationStarted names it
 *                           (null when neither said)
 * @param remoteEnvironment  R's environment (Cloud API name, e.g. {@code ess}), null until ConnectionRequested was
 *                           applied (and in rows from before it was recorded)
 * @param remoteDeploymentId R, null until ConnectionRequested was applied
 * @param compensating       the tombstone: CompensationStarted (or an undo) was seen, no key is ever announced now
 * @param undoRequested      the key undo was asked for (KeystoreEntryRemoved or KeystoreEntryRemovalFailed);
 *                           no key is created after that, and a key whose create was running is invalidated
 * @param undoChain          the run of the undo chain the latest undo request belongs to (null before one, and for
 *                           a request written before runs were carried): an undo that a late request or a late
 *                           create queues answers this run
 * @param requestUnread      CompensationStarted was applied before any ConnectionRequested: the request was
 *                           dead-lettered here (it shares the record key, so it would have come first), and no key
 *                           was ever created for it
 */
public record TrackedConnection(
        String connectionId,
        SecurityModel securityModel,
        String remoteEnvironment,
        String remoteDeploymentId,
        boolean compensating,
        boolean undoRequested,
        UndoChain undoChain,
        boolean requestUnread) {

    /** A connection key-service has heard nothing about yet. */
    public static TrackedConnection unknown(String connectionId) {
        return new TrackedConnection(connectionId, null, null, null, false, false, null, false);
    }

    /** Whether ConnectionRequested was applied, so R and the security model are known. */
    public boolean isRequested() {
        return remoteDeploymentId != null;
    }

    /** Only the API-key model has a key on R. */
    public boolean hasKeyOnRemote() {
        return securityModel == SecurityModel.API_KEY;
    }

    /**
     * Whether the key undo is answered at once with nothing removed: the request was never read here, so no key
     * exists to undo. Unless CompensationStarted named the certificate model (no key, its chain ends at
     * trust-service), the model being unknown does not matter: only the API-key model has a keystore undo.
     */
    public boolean undoAnsweredAtOnce() {
        return requestUnread && securityModel != SecurityModel.TLS_CERTIFICATE;
    }

    public TrackedConnection requested(ConnectionRequested event) {
        return new TrackedConnection(connectionId, event.request().securityModel(),
                event.request().remote().environment(), event.request().remote().deploymentId(), compensating,
                undoRequested, undoChain, false);
    }

    /**
     * The tombstone. CompensationStarted follows ConnectionRequested on the same record key, so when the request was
     * not applied by now it was unreadable here; {@code namedModel} (CompensationStarted's) stands in for it.
     */
    public TrackedConnection compensationStarted(SecurityModel namedModel) {
        if (isRequested()) {
            return new TrackedConnection(connectionId, securityModel, remoteEnvironment, remoteDeploymentId, true,
                    undoRequested, undoChain, false);
        }
        SecurityModel model = namedModel != null ? namedModel : securityModel;
        return new TrackedConnection(connectionId, model, null, null, true, undoRequested, undoChain, true);
    }

    /** The undo implies compensation: the undo chain only runs after CompensationStarted. */
    public TrackedConnection undoAsked(UndoChain chain) {
        return new TrackedConnection(connectionId, securityModel, remoteEnvironment, remoteDeploymentId, true, true,
                chain, requestUnread);
    }
}

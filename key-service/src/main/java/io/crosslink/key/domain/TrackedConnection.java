package io.crosslink.key.domain;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.SecurityModel;

/**
 * What key-service knows about a connection besides its key: where its key lives (R, from ConnectionRequested,
 * kept even when the create failed, so an undo can search R) and how far compensation has come. The two
 * consumers ({@code connect-events}, {@code trust-events}) read independently, so the undo may be asked for
 * before ConnectionRequested was seen; the flags make the order irrelevant.
 *
 * @param securityModel      null until ConnectionRequested was applied
 * @param remoteEnvironment  R's environment (Cloud API name, e.g. {@code ess}), null until ConnectionRequested was
 *                           applied (and in rows from before it was recorded)
 * @param remoteDeploymentId R, null until ConnectionRequested was applied
 * @param compensating       the tombstone: CompensationStarted (or an undo) was seen, no key is ever announced now
 * @param undoRequested      the key undo was asked for (KeystoreEntryRemoved or KeystoreEntryRemovalFailed);
 *                           no key is created after that, and a key whose create was running is invalidated
 */
public record TrackedConnection(
        String connectionId,
        SecurityModel securityModel,
        String remoteEnvironment,
        String remoteDeploymentId,
        boolean compensating,
        boolean undoRequested) {

    /** A connection key-service has heard nothing about yet. */
    public static TrackedConnection unknown(String connectionId) {
        return new TrackedConnection(connectionId, null, null, null, false, false);
    }

    /** Whether ConnectionRequested was applied, so R and the security model are known. */
    public boolean isRequested() {
        return securityModel != null;
    }

    /** Only the API-key model has a key on R. */
    public boolean hasKeyOnRemote() {
        return securityModel == SecurityModel.API_KEY;
    }

    public TrackedConnection requested(ConnectionRequested event) {
        return new TrackedConnection(connectionId, event.request().securityModel(),
                event.request().remote().environment(), event.request().remote().deploymentId(), compensating,
                undoRequested);
    }

    public TrackedConnection compensationStarted() {
        return new TrackedConnection(connectionId, securityModel, remoteEnvironment, remoteDeploymentId, true,
                undoRequested);
    }

    /** The undo implies compensation: the undo chain only runs after CompensationStarted. */
    public TrackedConnection undoAsked() {
        return new TrackedConnection(connectionId, securityModel, remoteEnvironment, remoteDeploymentId, true, true);
    }
}

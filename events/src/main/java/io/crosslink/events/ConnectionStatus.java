package io.crosslink.events;

/** Where a connection stands. The happy path runs top to bottom until VERIFIED. */
public enum ConnectionStatus {
    /** Accepted; checks that need Elastic are running or the saga has started. */
    REQUESTED,
    /** Checks after acceptance failed; nothing was changed on Elastic. Terminal. */
    REJECTED,
    KEY_CREATED,
    KEYSTORE_UPDATED,
    /** Certificate model: each deployment trusts the other's certificates (the counterpart of KEYSTORE_UPDATED). */
    TRUST_UPDATED,
    REMOTE_CONNECTED,
    /** A search through the remote works. Terminal until disconnected. */
    VERIFIED,
    /** A step failed; undoing the completed steps. */
    COMPENSATING,
    /** A step failed and every completed step was undone. Terminal. */
    COMPENSATED,
    DISCONNECTING,
    DISCONNECTED,
    /** A step (or an undo) failed and what is left is named in the timeline. Terminal. */
    FAILED;

    public boolean terminal() {
        return this == REJECTED || this == VERIFIED || this == COMPENSATED || this == DISCONNECTED || this == FAILED;
    }
}

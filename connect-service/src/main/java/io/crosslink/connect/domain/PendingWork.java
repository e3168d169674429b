package io.crosslink.connect.domain;

/**
 * Work a connection waits for, kept in the database so a restart resumes it: the checks that need the Cloud
 * API after acceptance, the remote registration on L after KeystoreUpdated, its re-registration after a later
 * keystore change (null the alias, write it again: Elasticsearch then connects with the new credentials), the watch
 * of a registered remote until it is verified (Elasticsearch can lose it, {@code RemoteWatch}), and the removal of
 * the remote from L, connect-service's own undo step.
 */
public enum PendingWork {
    CHECKS,
    REGISTER_REMOTE,
    REREGISTER_REMOTE,
    WATCH_REMOTE,
    REMOVE_REMOTE;

    /** The kind of the work item that runs it ({@code checks}, {@code register-remote}, ...). */
    public String kind() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Work that writes the remote into L's cluster settings. */
    public boolean registers() {
        return this == REGISTER_REMOTE || this == REREGISTER_REMOTE;
    }
}

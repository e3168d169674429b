package io.crosslink.connect.domain;

/**
 * Work a connection waits for, kept in the database so a restart resumes it: the checks that need the Cloud
 * API after acceptance, and the remote registration on L after KeystoreUpdated.
 */
public enum PendingWork {
    CHECKS,
    REGISTER_REMOTE
}

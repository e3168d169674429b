package io.crosslink.trust.domain;

/** Where a connection's reference to L's signing CA on R stands ({@link SigningCaGrant}). */
public enum GrantStatus {
    /** Recorded from ConnectionRequested; the {@code grant-signing-ca} work item has not listed the path yet. */
    WANTED,
    /** R's list holds the path (written with it by this grant). */
    GRANTED,
    /** The grant failed for good; KeystoreUpdateFailed was emitted (a PUT in doubt may still have applied). */
    FAILED,
    /** Compensation began before the grant ran; nothing was written for it. */
    ABANDONED,
    /** The undo gave the reference up. */
    RELEASED;

    /** Whether the connection holds the path on R, or is about to. */
    public boolean holds() {
        return this == WANTED || this == GRANTED;
    }
}

package io.crosslink.verify.domain;

public enum VerificationState {
    /** Attempts continue until proven or the deadline passes. */
    PENDING,
    VERIFIED,
    FAILED,
    /** Compensation started before it ended: no event is emitted for it. */
    CANCELLED
}

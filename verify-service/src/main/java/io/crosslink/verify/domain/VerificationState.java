package io.crosslink.verify.domain;

public enum VerificationState {
    /** Attempts continue (each a run of its work item) until proven or the deadline passes. */
    PENDING,
    VERIFIED,
    FAILED,
    /** Compensation started before it ended: no event is emitted for it. */
    CANCELLED
}

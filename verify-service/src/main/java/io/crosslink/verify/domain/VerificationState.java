package io.crosslink.verify.domain;

public enum VerificationState {
    /** Attempts continue until proven or the deadline passes. */
    PENDING,
    VERIFIED,
    FAILED
}

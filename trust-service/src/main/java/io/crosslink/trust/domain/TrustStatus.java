package io.crosslink.trust.domain;

/** Where the certificate-model trust step of a connection stands; the undo has {@link UndoStatus}. */
public enum TrustStatus {
    /** Known only from the undo chain (a tombstone), or a request not yet taken. */
    WAITING,
    /**
     * The trust of both deployments is being written, will be (again after a crash: the redelivered request reuses
     * the recorded edits), or was while the service stopped before recording it.
     */
    UPDATING,
    /** Both deployments trust each other and report no pending plan; TrustUpdated emitted. */
    UPDATED,
    /** A Cloud API error or the plan wait's timeout; TrustUpdateFailed emitted. Edits recorded so far stay for the undo. */
    FAILED,
    /** Compensation began before the step wrote anything more: it stopped (or never started), nothing emitted. */
    ABANDONED
}

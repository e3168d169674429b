package io.crosslink.trust.domain;

/** Where the certificate-model trust step of a connection stands; the undo has {@link UndoStatus}. */
public enum TrustStatus {
    /** Known only from the undo chain (a tombstone), or a request not yet taken. */
    WAITING,
    /**
     * The {@code update-trust} work item writes the trust of both deployments or waits for their plans, will (again
     * after a transient failure or a crash: a run reuses the recorded edits), or did while the service stopped before
     * recording it.
     */
    UPDATING,
    /** Both deployments trust each other and report no pending plan; TrustUpdated emitted. */
    UPDATED,
    /** A Cloud API error or the plan wait's timeout; TrustUpdateFailed emitted. Edits recorded so far stay for the undo. */
    FAILED,
    /**
     * Compensation began before the step wrote anything more, or its undo started: it stopped (or never started),
     * nothing emitted.
     */
    ABANDONED
}

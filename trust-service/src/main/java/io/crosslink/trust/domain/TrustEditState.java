package io.crosslink.trust.domain;

/** Where one recorded trust edit stands. */
public enum TrustEditState {
    /** Recorded before its PUT: the deployment may or may not hold it yet (a crash, a timeout), so the undo removes it. */
    PLANNED,
    /** The PUT was answered and the step completed. */
    APPLIED,
    /** The undo removed it (or found nothing of it left). */
    REMOVED
}

package io.crosslink.trust.domain;

/** Where the undo of the keystore step stands for a connection (null until the compensation chain reaches it). */
public enum UndoStatus {
    /** The removal is due: a work item runs it (again after a crash or a transient failure). */
    REMOVING,
    /** L's keystore holds no entry of this connection (removed, or nothing had been written); KeystoreEntryRemoved emitted. */
    REMOVED,
    /** The removal failed (for good, or out of attempts); KeystoreEntryRemovalFailed emitted, the entry may still be there. */
    REMOVAL_FAILED
}

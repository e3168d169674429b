package io.crosslink.trust.domain;

/** Where the undo of the keystore step stands for a connection (null until the compensation chain reaches it). */
public enum UndoStatus {
    /** The removal PATCH is due: under way, or to be repeated when its event comes again after a crash. */
    REMOVING,
    /** L's keystore holds no entry of this connection (removed, or nothing had been written); KeystoreEntryRemoved emitted. */
    REMOVED,
    /** The removal failed after its retries; KeystoreEntryRemovalFailed emitted, the entry may still be there. */
    REMOVAL_FAILED
}

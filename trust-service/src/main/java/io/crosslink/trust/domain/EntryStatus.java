package io.crosslink.trust.domain;

/** Where the forward step (writing the keystore entry) of a connection stands; the undo has {@link UndoStatus}. */
public enum EntryStatus {
    /** One half is missing: the request (ConnectionRequested) or the key (KeyCreated). */
    WAITING,
    /**
     * Both halves are here; the keystore is being written (a {@code write-keystore} work item), will be (again after
     * a transient failure or a crash), or was while the service stopped before recording it: the entry may exist.
     */
    UPDATING,
    /** L's keystore holds the current key. */
    UPDATED,
    /**
     * The current key was not written: the write failed (KeystoreUpdateFailed was emitted), or compensation began
     * before it started (nothing emitted).
     */
    FAILED
}

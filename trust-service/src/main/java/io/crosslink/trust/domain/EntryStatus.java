package io.crosslink.trust.domain;

/** Where the keystore entry of a connection stands. */
public enum EntryStatus {
    /** One half is missing: the request (ConnectionRequested) or the key (KeyCreated). */
    WAITING,
    /** Both halves are here; the keystore is being written (or will be again after a crash). */
    UPDATING,
    /** L's keystore holds the current key. */
    UPDATED,
    /** Writing the current key failed; KeystoreUpdateFailed was emitted. */
    FAILED
}

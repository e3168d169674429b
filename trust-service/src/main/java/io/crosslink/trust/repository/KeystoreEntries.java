package io.crosslink.trust.repository;

import io.crosslink.trust.domain.KeystoreEntry;

/** Keystore entries by connection id (an interface, so step logic can be tested without a database). */
public interface KeystoreEntries {

    /**
     * Transaction timeout (seconds) of the transactions that lock an entry: the keystore write holds the lock during
     * its Cloud API call, retries included, so that an undo waits for a write in flight instead of racing it.
     */
    String LOCKING_TRANSACTION_TIMEOUT = "crosslink.keystore.locking-transaction-timeout";

    /**
     * The entry of a connection, created when missing, locked until the transaction ends: the two events of a
     * connection are consumed on different channels, possibly by different instances, and must not both
     * believe they are the first.
     */
    KeystoreEntry lockOrCreate(String connectionId);
}

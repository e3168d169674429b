package io.crosslink.trust.repository;

import io.crosslink.trust.domain.KeystoreEntry;
import java.util.Optional;

/** Keystore entries by connection id (an interface, so step logic can be tested without a database). */
public interface KeystoreEntries {

    /**
     * The entry of a connection, created when missing, locked until the transaction ends: the two events of a
     * connection are consumed on different channels, possibly by different instances, and must not both
     * believe they are the first. Transactions that lock it are short: no Cloud API call happens inside one.
     */
    KeystoreEntry lockOrCreate(String connectionId);

    /** The entry of a connection, if any, without a lock. */
    Optional<KeystoreEntry> find(String connectionId);
}

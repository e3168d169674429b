package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.StepFailure;
import io.crosslink.events.messaging.Inbox;
import io.crosslink.events.messaging.Outbox;
import io.crosslink.trust.domain.KeystoreEntry;
import io.crosslink.trust.repository.KeystoreEntries;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The transactional half of the keystore step: what is known per connection, the inbox and the outbox.
 *
 * <p>{@link #accept} stores the half an event brings and commits it, so a due write is visible (UPDATING) before it
 * starts: whoever looks later knows the keystore may hold the entry. {@link #write} then locks the row, checks
 * the tombstone, makes the Cloud API call while holding the lock and records the outcome, the event (inbox) and
 * the announcement (outbox) in one transaction. Holding the lock across the call is what makes the undo safe: the
 * tombstone and the removal wait for a write in flight and then see its outcome, and a write that had to wait
 * for them sees the tombstone and does not start. A crash in the middle rolls the transaction back; the row stays
 * UPDATING and the redelivered event repeats the idempotent write (or, after a tombstone, the undo removes it).
 */
@ApplicationScoped
public class KeystoreLedger {
    private static final Logger LOG = Logger.getLogger(KeystoreLedger.class);

    private final KeystoreEntries entries;
    private final Inbox inbox;
    private final Outbox outbox;

    public KeystoreLedger(KeystoreEntries entries, Inbox inbox, Outbox outbox) {
        this.entries = entries;
        this.inbox = inbox;
        this.outbox = outbox;
    }

    /**
     * Stores what the event brings (a ConnectionRequested or a KeyCreated) and returns the keystore write it
     * makes due, if any. A redelivered event changes nothing; after the tombstone an event is only recorded.
     */
    @Transactional
    @TransactionConfiguration(timeoutFromConfigProperty = KeystoreEntries.LOCKING_TRANSACTION_TIMEOUT)
    public Optional<PendingUpdate> accept(ConnectionEvent event) {
        if (inbox.seen(event.eventId())) {
            LOG.debugf("%s %s of connection %s was processed already", event.cloudEventType(), event.eventId(),
                    event.connectionId());
            return Optional.empty();
        }
        KeystoreEntry entry = entries.lockOrCreate(event.connectionId());
        if (entry.compensating()) {
            LOG.infof("connection %s: %s after compensation began, recorded only", event.connectionId(),
                    event.cloudEventType());
            inbox.record(event);
            return Optional.empty();
        }
        if (event instanceof ConnectionRequested requested) {
            entry.takeRequest(requested);
        } else if (event instanceof KeyCreated created && !entry.takeKey(created)) {
            LOG.infof("connection %s: ignoring key %s, older than key %s", event.connectionId(), created.keyId(),
                    entry.keyId);
        }
        if (entry.updateDue()) {
            return Optional.of(PendingUpdate.of(entry));
        }
        inbox.record(event);
        return Optional.empty();
    }

    /**
     * Makes the due write with {@code keystoreWrite} (the Cloud API call; a failure it reports is already redacted)
     * under the row lock, unless compensation began or another consumer recorded it meanwhile, then records the
     * outcome and announces it: KeystoreUpdated or KeystoreUpdateFailed.
     */
    @Transactional
    @TransactionConfiguration(timeoutFromConfigProperty = KeystoreEntries.LOCKING_TRANSACTION_TIMEOUT)
    public void write(ConnectionEvent event, PendingUpdate update,
            Function<PendingUpdate, Optional<StepFailure>> keystoreWrite) {
        KeystoreEntry entry = entries.lockOrCreate(update.connectionId());
        inbox.record(event);
        if (entry.compensating()) {
            LOG.infof("connection %s: compensation began before key %s was written; not writing it",
                    update.connectionId(), update.keyId());
            entry.abandonPendingKey();
            return;
        }
        if (!stillDue(entry, update)) {
            return;
        }
        Optional<StepFailure> failure = keystoreWrite.apply(update);
        if (failure.isEmpty()) {
            entry.markUpdated(update.keyId());
            outbox.publish(new KeystoreUpdated(Outbox.newEventId(), update.connectionId(), Instant.now(),
                    update.settingName()));
        } else {
            entry.markFailed(update.keyId(), failure.get());
            outbox.publish(new KeystoreUpdateFailed(Outbox.newEventId(), update.connectionId(), Instant.now(),
                    failure.get()));
        }
    }

    /**
     * Whether the write is still the one to make: another consumer may have recorded the same key meanwhile,
     * or a newer key arrived (its own event writes and announces it).
     */
    private static boolean stillDue(KeystoreEntry entry, PendingUpdate update) {
        return update.keyId().equals(entry.keyId) && entry.updateDue();
    }
}

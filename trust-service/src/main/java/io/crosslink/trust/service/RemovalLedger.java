package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionRequest;
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
import org.jboss.logging.Logger;

/**
 * The transactional half of the keystore undo: the tombstone, the decision whether there is anything to remove,
 * and the outcome with its event (inbox) and announcement (outbox) in one transaction. The Cloud API call happens
 * between {@link #startRemoval} and {@link #removed}/{@link #removalFailed}, outside any transaction: the tombstone
 * is committed by then, so no write can start afterwards, and a write in flight held the row lock that
 * {@link #startRemoval} waited for, so its outcome is known (or, after a crash, in doubt: UPDATING).
 */
@ApplicationScoped
public class RemovalLedger {
    private static final Logger LOG = Logger.getLogger(RemovalLedger.class);

    private final KeystoreEntries entries;
    private final Inbox inbox;
    private final Outbox outbox;

    public RemovalLedger(KeystoreEntries entries, Inbox inbox, Outbox outbox) {
        this.entries = entries;
        this.inbox = inbox;
        this.outbox = outbox;
    }

    /** Records the tombstone (creating the row if this service never heard of the connection). */
    @Transactional
    @TransactionConfiguration(timeoutFromConfigProperty = KeystoreEntries.LOCKING_TRANSACTION_TIMEOUT)
    public void compensationStarted(CompensationStarted event) {
        if (inbox.seen(event.eventId())) {
            return;
        }
        KeystoreEntry entry = entries.lockOrCreate(event.connectionId());
        entry.startCompensation(Instant.now());
        inbox.record(event);
        LOG.infof("connection %s: compensation began (%s); the keystore is not written for it any more",
                event.connectionId(), event.cause());
    }

    /**
     * Starts the undo the trigger (RemoteRemoved or RemoteRemovalFailed) asks for: returns the entry to remove if
     * this service wrote it or may have; otherwise records the trigger and announces that there was nothing to
     * remove, at once. A redelivered trigger changes nothing. The tombstone is recorded here too, in case
     * CompensationStarted never reached this service.
     */
    @Transactional
    @TransactionConfiguration(timeoutFromConfigProperty = KeystoreEntries.LOCKING_TRANSACTION_TIMEOUT)
    public Optional<PendingRemoval> startRemoval(ConnectionEvent trigger) {
        if (inbox.seen(trigger.eventId())) {
            LOG.debugf("%s %s of connection %s was processed already", trigger.cloudEventType(), trigger.eventId(),
                    trigger.connectionId());
            return Optional.empty();
        }
        KeystoreEntry entry = entries.lockOrCreate(trigger.connectionId());
        entry.startCompensation(Instant.now());
        if (entry.mayHoldEntry()) {
            entry.markRemoving();
            return Optional.of(PendingRemoval.of(entry));
        }
        entry.markRemoved();
        inbox.record(trigger);
        outbox.publish(new KeystoreEntryRemoved(Outbox.newEventId(), trigger.connectionId(), Instant.now(),
                settingName(entry, trigger), false));
        LOG.infof("connection %s: nothing was written to the keystore, nothing to remove", trigger.connectionId());
        return Optional.empty();
    }

    /** The entry is gone from L's keystore. */
    @Transactional
    @TransactionConfiguration(timeoutFromConfigProperty = KeystoreEntries.LOCKING_TRANSACTION_TIMEOUT)
    public void removed(ConnectionEvent trigger, PendingRemoval removal) {
        KeystoreEntry entry = entries.lockOrCreate(removal.connectionId());
        inbox.record(trigger);
        entry.markRemoved();
        outbox.publish(new KeystoreEntryRemoved(Outbox.newEventId(), removal.connectionId(), Instant.now(),
                removal.settingName(), true));
    }

    /** Removing the entry failed for good (or transiently, beyond the retries): it may still be there. */
    @Transactional
    @TransactionConfiguration(timeoutFromConfigProperty = KeystoreEntries.LOCKING_TRANSACTION_TIMEOUT)
    public void removalFailed(ConnectionEvent trigger, PendingRemoval removal, StepFailure failure) {
        KeystoreEntry entry = entries.lockOrCreate(removal.connectionId());
        inbox.record(trigger);
        entry.markRemovalFailed(failure);
        outbox.publish(new KeystoreEntryRemovalFailed(Outbox.newEventId(), removal.connectionId(), Instant.now(),
                failure));
    }

    /**
     * The setting the undo is about: from the request, or from the alias RemoteRemoved names when this service
     * never saw the request (then nothing was written); empty when neither is known.
     */
    private static String settingName(KeystoreEntry entry, ConnectionEvent trigger) {
        if (entry.settingName != null) {
            return entry.settingName;
        }
        return trigger instanceof RemoteRemoved removed && removed.alias() != null
                ? ConnectionRequest.credentialsSetting(removed.alias())
                : "";
    }
}

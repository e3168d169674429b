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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The transactional half of the keystore step: what is known per connection, the inbox and the outbox. The
 * Cloud API call happens between {@link #accept} and {@link #updated}/{@link #failed}, outside any transaction.
 *
 * <p>An event is recorded in the inbox together with its effect: at once when it only completes the picture
 * (or brings nothing new), else in the transaction that records the keystore write and publishes its outcome.
 * A crash in between redelivers the event, which stores the same half again and repeats the idempotent write.
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
     * makes due, if any. A redelivered event changes nothing.
     */
    @Transactional
    public Optional<PendingUpdate> accept(ConnectionEvent event) {
        if (inbox.seen(event.eventId())) {
            LOG.debugf("%s %s of connection %s was processed already", event.cloudEventType(), event.eventId(),
                    event.connectionId());
            return Optional.empty();
        }
        KeystoreEntry entry = entries.lockOrCreate(event.connectionId());
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

    /** The keystore holds the key: record it and announce it, unless a concurrent consumer did already. */
    @Transactional
    public void updated(ConnectionEvent event, PendingUpdate update) {
        KeystoreEntry entry = entries.lockOrCreate(update.connectionId());
        inbox.record(event);
        if (stillDue(entry, update)) {
            entry.markUpdated(update.keyId());
            outbox.publish(new KeystoreUpdated(Outbox.newEventId(), update.connectionId(), Instant.now(),
                    update.settingName()));
        }
    }

    /** Writing the key failed for good (or transiently, beyond the retries): record it and announce it. */
    @Transactional
    public void failed(ConnectionEvent event, PendingUpdate update, StepFailure failure) {
        KeystoreEntry entry = entries.lockOrCreate(update.connectionId());
        inbox.record(event);
        if (stillDue(entry, update)) {
            entry.markFailed(update.keyId(), failure);
            outbox.publish(new KeystoreUpdateFailed(Outbox.newEventId(), update.connectionId(), Instant.now(),
                    failure));
        }
    }

    /**
     * Whether the write is still the one to record: another consumer may have recorded the same key meanwhile,
     * or a newer key arrived (its own event writes and announces it).
     */
    private static boolean stillDue(KeystoreEntry entry, PendingUpdate update) {
        return update.keyId().equals(entry.keyId) && entry.updateDue();
    }
}

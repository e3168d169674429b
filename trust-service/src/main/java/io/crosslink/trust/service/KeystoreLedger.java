package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.messaging.Inbox;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.StepWarnings;
import io.crosslink.runtime.work.WorkQueue;
import io.crosslink.trust.domain.EntryStatus;
import io.crosslink.trust.domain.KeystoreEntry;
import io.crosslink.trust.repository.KeystoreEntries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The transactional half of the keystore step: what is known per connection, the inbox, the outbox and the work
 * queue. Every transaction is short and makes no Cloud API call.
 *
 * <p>{@link #accept} (the consumer) records the event and the half it brings and, when a write is due, queues a
 * {@code write-keystore} work item, all in one transaction. The work item then runs {@link #beginWrite} (checks the
 * tombstone, marks the write in flight and commits that before the PATCH), makes the call without any lock held,
 * and records the outcome with its announcement: {@link #written}, {@link #writeFailed}, or {@link #writeInDoubt}
 * when it parks to try again. One work item of a connection runs at a time (across instances), so the undo's
 * removal, also a work item, runs before or after a write, never during it; a write that starts after the tombstone
 * never sends its PATCH, and one in flight when the tombstone comes is recorded and then removed by the undo.
 */
@ApplicationScoped
public class KeystoreLedger {
    private static final Logger LOG = Logger.getLogger(KeystoreLedger.class);

    private final KeystoreEntries entries;
    private final Inbox inbox;
    private final Outbox outbox;
    private final WorkQueue work;
    private final SigningCaLedger signingCa;

    public KeystoreLedger(KeystoreEntries entries, Inbox inbox, Outbox outbox, WorkQueue work,
            SigningCaLedger signingCa) {
        this.entries = entries;
        this.inbox = inbox;
        this.outbox = outbox;
        this.work = work;
        this.signingCa = signingCa;
    }

    /**
     * Records the event (a ConnectionRequested or a KeyCreated) and what it brings, and queues the keystore write
     * it makes due, if any. A redelivered event changes nothing; after the tombstone an event is only recorded.
     */
    @Transactional
    public void accept(ConnectionEvent event) {
        if (inbox.seen(event.eventId())) {
            LOG.debugf("%s %s of connection %s was processed already", event.cloudEventType(), event.eventId(),
                    event.connectionId());
            return;
        }
        KeystoreEntry entry = entries.lockOrCreate(event.connectionId());
        inbox.record(event);
        if (entry.compensating()) {
            LOG.infof("connection %s: %s after compensation began, recorded only", event.connectionId(),
                    event.cloudEventType());
            return;
        }
        if (event instanceof ConnectionRequested requested) {
            entry.takeRequest(requested);
            // Strong identity: R must list L's signing CA too; its own work item, on R.
            signingCa.want(requested).ifPresent(grant ->
                    work.enqueue(SigningCaGrantService.KIND, event, List.of(grant.permit())));
        } else if (event instanceof KeyCreated created && !entry.takeKey(created)) {
            LOG.infof("connection %s: ignoring key %s, older than key %s", event.connectionId(), created.keyId(),
                    entry.keyId);
        }
        if (entry.updateDue()) {
            work.enqueue(ApiKeyTrustService.KIND, event,
                    List.of(WorkQueue.deployment(entry.environment, entry.deploymentId)));
        }
    }

    /**
     * The write due now, marked in flight (committed before its PATCH, so a crash leaves it in doubt for the undo);
     * empty when none is: the current key was written or given up already (a run after its commit, or an item
     * queued for a key a newer one replaced), or compensation began, in which case the pending key is given up
     * without an announcement (the undo chain reports for the step).
     */
    @Transactional
    public Optional<PendingUpdate> beginWrite(String connectionId) {
        KeystoreEntry entry = entries.lockOrCreate(connectionId);
        if (entry.compensating()) {
            if (entry.status == EntryStatus.UPDATING) {
                LOG.infof("connection %s: compensation began before key %s was written; not writing it",
                        connectionId, entry.keyId);
            }
            entry.abandonPendingKey();
            return Optional.empty();
        }
        if (!entry.updateDue()) {
            return Optional.empty();
        }
        entry.startWrite();
        return Optional.of(PendingUpdate.of(entry));
    }

    /**
     * The PATCH succeeded: the keystore holds the key; KeystoreUpdated, unless strong identity's grant is still to be
     * done (it announces then) or failed (it announced the failure).
     */
    @Transactional
    public void written(PendingUpdate update) {
        KeystoreEntry entry = entries.lockOrCreate(update.connectionId());
        entry.markUpdated(update.keyId());
        if (entry.undoFinished()) {
            LOG.infof("connection %s: key %s written, but the undo already reported; not announced",
                    update.connectionId(), update.keyId());
            return;
        }
        if (signingCa.grantOutstanding(update.connectionId())) {
            LOG.infof("connection %s: key %s written; announced once L's signing CA is listed on R",
                    update.connectionId(), update.keyId());
            return;
        }
        outbox.publish(new KeystoreUpdated(Outbox.newEventId(), update.connectionId(), Instant.now(),
                update.settingName(), StepWarnings.current()));
    }

    /**
     * The write failed for good (a refusal, or transient failures out of attempts; {@code failure} is redacted):
     * KeystoreUpdateFailed, unless a newer key replaced this one meanwhile (its own work item writes and announces
     * it), the undo already reported, or strong identity's grant failed and announced the step's failure.
     */
    @Transactional
    public void writeFailed(PendingUpdate update, StepFailure failure) {
        KeystoreEntry entry = entries.lockOrCreate(update.connectionId());
        entry.markFailed(update.keyId(), failure);
        if (!update.keyId().equals(entry.keyId) || entry.undoFinished()
                || signingCa.grantFailed(update.connectionId())) {
            LOG.infof("connection %s: the write of key %s failed, superseded; not announced", update.connectionId(),
                    update.keyId());
            return;
        }
        outbox.publish(new KeystoreUpdateFailed(Outbox.newEventId(), update.connectionId(), Instant.now(), failure));
    }

    /** The write failed in a way that may pass and will be tried again; it may have applied all the same. */
    @Transactional
    public void writeInDoubt(PendingUpdate update) {
        entries.lockOrCreate(update.connectionId()).markWriteInDoubt();
    }
}

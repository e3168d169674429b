package io.crosslink.trust.service;

import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.SigningAuthorityLeft;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.messaging.Inbox;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.WorkQueue;
import io.crosslink.trust.domain.KeystoreEntry;
import io.crosslink.trust.domain.SigningCaGrant;
import io.crosslink.trust.domain.UndoTrigger;
import io.crosslink.trust.repository.KeystoreEntries;
import io.crosslink.trust.repository.SigningCaGrants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The transactional half of the keystore undo: the tombstone, the decision whether there is anything to remove
 * (queueing a {@code remove-keystore-entry} work item when there is), and the outcome with its announcement. The
 * Cloud API calls happen in the work item, between {@link #pendingRemoval} and {@link #removed}/{@link #removalFailed},
 * outside any transaction: the tombstone is committed by then, so no write starts afterwards, and a write in flight is
 * a work item of the same connection, which runs before or after the removal, never alongside it.
 */
@ApplicationScoped
public class RemovalLedger {
    private static final Logger LOG = Logger.getLogger(RemovalLedger.class);

    private final KeystoreEntries entries;
    private final Inbox inbox;
    private final Outbox outbox;
    private final WorkQueue work;
    private final SigningCaGrants grants;

    public RemovalLedger(KeystoreEntries entries, Inbox inbox, Outbox outbox, WorkQueue work,
            SigningCaGrants grants) {
        this.entries = entries;
        this.inbox = inbox;
        this.outbox = outbox;
        this.work = work;
        this.grants = grants;
    }

    /** Records the tombstone (creating the row if this service never heard of the connection). */
    @Transactional
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
     * Records the trigger (RemoteRemoved or RemoteRemovalFailed) and queues the removal if this service wrote the
     * entry or may have; otherwise announces at once that there was nothing to remove. A redelivered trigger changes
     * nothing. The tombstone is recorded here too, in case CompensationStarted never reached this service.
     */
    @Transactional
    public void startRemoval(ConnectionEvent trigger) {
        if (inbox.seen(trigger.eventId())) {
            LOG.debugf("%s %s of connection %s was processed already", trigger.cloudEventType(), trigger.eventId(),
                    trigger.connectionId());
            return;
        }
        KeystoreEntry entry = entries.lockOrCreate(trigger.connectionId());
        inbox.record(trigger);
        entry.startCompensation(Instant.now());
        Optional<SigningCaGrant> grant = grants.find(trigger.connectionId());
        if (entry.mayHoldEntry() || grant.isPresent()) {
            // Strong identity: the release of the signing CA's reference (R) comes first, whatever its state: the
            // last reference out writes R's list without its path, and a repeated undo finds it done.
            entry.markRemoving();
            List<String> deployments = new ArrayList<>();
            deployments.add(WorkQueue.deployment(entry.environment, entry.deploymentId));
            grant.ifPresent(held -> deployments.add(PendingGrant.of(held).permit()));
            work.enqueue(KeystoreUndoService.KIND, trigger, deployments);
            return;
        }
        entry.markRemoved(trigger.eventId());
        UndoTrigger asked = UndoTrigger.of(trigger);
        outbox.publish(new KeystoreEntryRemoved(Outbox.newEventId(), trigger.connectionId(), Instant.now(),
                entry.settingName != null ? entry.settingName : asked.credentialsSetting(), false, asked.chain()));
        LOG.infof("connection %s: nothing was written to the keystore, nothing to remove", trigger.connectionId());
    }

    /** The entry to remove for {@code trigger}; empty when its outcome was announced already (a run after its commit). */
    @Transactional
    public Optional<PendingRemoval> pendingRemoval(String connectionId, String trigger) {
        KeystoreEntry entry = entries.lockOrCreate(connectionId);
        if (entry.undoReported(trigger) || !entry.hasRequest()) {
            return Optional.empty();
        }
        return Optional.of(PendingRemoval.of(entry));
    }

    /**
     * The entry is gone from L's keystore ({@code removed}: false when none was ever written); the answer carries the
     * trigger's chain back.
     */
    @Transactional
    public void removed(PendingRemoval removal, UndoTrigger trigger, boolean removed) {
        KeystoreEntry entry = entries.lockOrCreate(removal.connectionId());
        entry.markRemoved(trigger.eventId());
        outbox.publish(new KeystoreEntryRemoved(Outbox.newEventId(), removal.connectionId(), Instant.now(),
                removal.settingName(), removed, trigger.chain()));
    }

    /**
     * Removing the entry failed for good (or out of attempts), and the entry is still there ({@code confirmed}: the
     * keystore read after the failure lists it) or may be ({@code possible}: it could not be read).
     */
    @Transactional
    public void removalFailed(PendingRemoval removal, UndoTrigger trigger, StepFailure failure,
            Certainty certainty) {
        removalFailed(removal, trigger, failure, certainty, null);
    }

    /**
     * Strong identity: releasing the signing CA's reference on R failed for good, so R may still list the path
     * ({@code signingAuthority}, with its own certainty) and the keystore entry was not tried.
     */
    @Transactional
    public void removalFailed(PendingRemoval removal, UndoTrigger trigger, StepFailure failure, Certainty certainty,
            SigningAuthorityLeft signingAuthority) {
        KeystoreEntry entry = entries.lockOrCreate(removal.connectionId());
        entry.markRemovalFailed(failure, trigger.eventId());
        outbox.publish(new KeystoreEntryRemovalFailed(Outbox.newEventId(), removal.connectionId(), Instant.now(),
                failure, certainty, trigger.chain(), signingAuthority));
    }
}

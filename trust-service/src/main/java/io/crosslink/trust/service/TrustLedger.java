package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.TrustRemovalFailed;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdateFailed;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.events.messaging.Inbox;
import io.crosslink.events.messaging.Outbox;
import io.crosslink.trust.domain.Certificates;
import io.crosslink.trust.domain.TrustEditRecord;
import io.crosslink.trust.domain.TrustEditState;
import io.crosslink.trust.domain.TrustLink;
import io.crosslink.trust.domain.TrustShare;
import io.crosslink.trust.domain.TrustTarget;
import io.crosslink.trust.repository.TrustLinks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The transactional half of the certificate-model step and its undo: the connection's {@code trust_link} row, its
 * recorded edits, the inbox and the outbox. Short transactions only: no Cloud API call happens inside one, and the
 * row lock is held only while a transaction decides (the per-deployment {@link DeploymentLocks} keep a recorded edit
 * and its PUT together instead).
 *
 * <p>The row lock orders a recorded edit against the tombstone: {@link #recordEdit} either commits before the
 * tombstone (then the undo, which reads the edits after taking the same lock, removes it) or sees the tombstone
 * and refuses (the step stops before its PUT).
 */
@ApplicationScoped
public class TrustLedger {
    private static final Logger LOG = Logger.getLogger(TrustLedger.class);

    private final TrustLinks links;
    private final Inbox inbox;
    private final Outbox outbox;

    public TrustLedger(TrustLinks links, Inbox inbox, Outbox outbox) {
        this.links = links;
        this.inbox = inbox;
        this.outbox = outbox;
    }

    // --- the step

    /**
     * Takes a certificate-model request and returns the step it makes due, with the edits an earlier run recorded.
     * The row is committed UPDATING before any call, the inbox only once the step has an outcome, so a crash in
     * between redelivers the request, which runs the step again on the recorded edits. A redelivered request
     * changes nothing; after the tombstone, or once the step finished (or failed: not tried again), it is only
     * recorded.
     */
    @Transactional
    public Optional<PendingTrust> accept(ConnectionRequested requested) {
        if (inbox.seen(requested.eventId())) {
            LOG.debugf("ConnectionRequested %s of connection %s was processed already", requested.eventId(),
                    requested.connectionId());
            return Optional.empty();
        }
        TrustLink link = links.lockOrCreate(requested.connectionId());
        if (!link.hasRequest()) {
            link.takeRequest(requested);
        }
        if (!link.stepDue()) {
            if (link.compensating()) {
                LOG.infof("connection %s: ConnectionRequested after compensation began; trust is not written",
                        requested.connectionId());
                link.markAbandoned();
            }
            inbox.record(requested);
            return Optional.empty();
        }
        link.markUpdating();
        return Optional.of(PendingTrust.of(link, links.edits(requested.connectionId())));
    }

    /**
     * Records the edit about to be written (or found unnecessary) for its deployment, unless compensation began:
     * then nothing is recorded and the step must stop before its PUT ({@code false}).
     */
    @Transactional
    public boolean recordEdit(String connectionId, TrustEdit edit, TrustTarget target) {
        TrustLink link = links.lockOrCreate(connectionId);
        if (link.compensating()) {
            link.markAbandoned();
            return false;
        }
        Set<String> fingerprints = new TreeSet<>();
        target.peerCertificates().forEach(pem -> Certificates.fingerprint(pem).ifPresent(fingerprints::add));
        links.recordEdit(connectionId, edit).peer(target.peerClusterId(), fingerprints);
        return true;
    }

    /**
     * Both deployments trust each other and no plan is pending: TrustUpdated with the edits that changed something
     * ({@code directUids}: the uids the Cloud API gave the direct entries the step created, by deployment id). Not
     * announced when the undo already finished meanwhile (it reported for the step).
     */
    @Transactional
    public void updated(ConnectionRequested requested, List<TrustEdit> edits, Map<String, String> directUids) {
        TrustLink link = links.lockOrCreate(requested.connectionId());
        inbox.record(requested);
        for (TrustEditRecord record : links.edits(requested.connectionId())) {
            if (record.state == TrustEditState.PLANNED) {
                record.markApplied(directUids.get(record.deploymentId));
            }
        }
        link.markUpdated();
        if (link.undoFinished()) {
            LOG.infof("connection %s: trust written, but its undo already finished; not announced",
                    requested.connectionId());
            return;
        }
        outbox.publish(new TrustUpdated(Outbox.newEventId(), requested.connectionId(), Instant.now(),
                edits.stream().filter(edit -> !edit.noop()).toList()));
    }

    /** The step failed for good; edits recorded so far stay, for the undo. */
    @Transactional
    public void failed(ConnectionRequested requested, StepFailure failure) {
        TrustLink link = links.lockOrCreate(requested.connectionId());
        inbox.record(requested);
        link.markFailed(failure);
        if (!link.undoFinished()) {
            outbox.publish(new TrustUpdateFailed(Outbox.newEventId(), requested.connectionId(), Instant.now(),
                    failure));
        }
    }

    /** The tombstone stopped the step before a write; nothing is announced (the undo chain reports). */
    @Transactional
    public void abandoned(ConnectionRequested requested) {
        TrustLink link = links.lockOrCreate(requested.connectionId());
        inbox.record(requested);
        link.markAbandoned();
    }

    // --- the undo

    /**
     * Records the tombstone (creating the row if the request was never seen, so a later one never runs). The
     * inbox entry of CompensationStarted is the keystore undo's, which handles the same event after this.
     */
    @Transactional
    public void compensationStarted(CompensationStarted event) {
        TrustLink link = links.lockOrCreate(event.connectionId());
        link.startCompensation(Instant.now());
    }

    /** Whether this service took a certificate-model request for the connection: the undo chain is then its. */
    @Transactional
    public boolean certificateModel(String connectionId) {
        return links.find(connectionId).map(TrustLink::hasRequest).orElse(false);
    }

    /**
     * Starts the undo the trigger (RemoteRemoved or RemoteRemovalFailed) asks for: the recorded edits that changed
     * something, or, when there are none (the step never wrote, or found everything trusted already),
     * TrustRemoved(removed=false) at once. The tombstone is recorded here too. A redelivered trigger changes nothing.
     */
    @Transactional
    public Optional<PendingTrustRemoval> startRemoval(ConnectionEvent trigger) {
        if (inbox.seen(trigger.eventId())) {
            LOG.debugf("%s %s of connection %s was processed already", trigger.cloudEventType(), trigger.eventId(),
                    trigger.connectionId());
            return Optional.empty();
        }
        TrustLink link = links.lockOrCreate(trigger.connectionId());
        link.startCompensation(Instant.now());
        link.markAbandoned();
        PendingTrustRemoval removal = PendingTrustRemoval.of(link, links.edits(trigger.connectionId()));
        if (removal.edits().isEmpty()) {
            link.markRemoved();
            inbox.record(trigger);
            outbox.publish(new TrustRemoved(Outbox.newEventId(), trigger.connectionId(), Instant.now(), List.of(),
                    false));
            LOG.infof("connection %s: no trust was changed, nothing to remove", trigger.connectionId());
            return Optional.empty();
        }
        link.markRemoving();
        return Optional.of(removal);
    }

    /**
     * The stakes of the other live connections (not compensating, step running or done) in a deployment's trust:
     * an undo must leave what they need.
     */
    @Transactional
    public List<TrustShare> liveShares(String exceptConnectionId, String deploymentId) {
        List<TrustShare> shares = new ArrayList<>();
        for (TrustEditRecord record : links.editsOn(deploymentId)) {
            if (!record.connectionId.equals(exceptConnectionId)) {
                links.find(record.connectionId).filter(TrustLink::live)
                        .ifPresent(link -> shares.add(record.share(link.trustsAll())));
            }
        }
        shares.sort(Comparator.comparing(TrustShare::connectionId));
        return shares;
    }

    /**
     * Hands parts of an edit over to the connections that still need them ({@code edits}: their extended edit of
     * {@code deploymentId}, by connection id; {@code directUid}: the entry's uid, for a created entry handed over).
     * Refused ({@code false}, nothing recorded) when one of them began compensating meanwhile: the caller looks again.
     */
    @Transactional
    public boolean handOver(String deploymentId, Map<String, TrustEdit> edits, String directUid) {
        List<String> heirs = new ArrayList<>(new TreeSet<>(edits.keySet())); // one lock order: no deadlock
        List<TrustEditRecord> records = new ArrayList<>();
        for (String heir : heirs) {
            TrustLink link = links.lockOrCreate(heir);
            Optional<TrustEditRecord> record = links.edit(heir, deploymentId);
            if (!link.live() || record.isEmpty()) {
                return false;
            }
            records.add(record.get());
        }
        for (int i = 0; i < heirs.size(); i++) {
            records.get(i).handOver(edits.get(heirs.get(i)), directUid);
            LOG.infof("connection %s takes over trust of %s that it still needs: %s", heirs.get(i), deploymentId,
                    edits.get(heirs.get(i)));
        }
        return true;
    }

    /**
     * What the step added is gone from both deployments. {@code removed}: something was (or may have been) there
     * to remove; false when no edit had landed (the step's writes were all refused).
     */
    @Transactional
    public void removed(ConnectionEvent trigger, PendingTrustRemoval removal, boolean removed) {
        TrustLink link = links.lockOrCreate(removal.connectionId());
        inbox.record(trigger);
        links.edits(removal.connectionId()).forEach(TrustEditRecord::markRemoved);
        link.markRemoved();
        outbox.publish(new TrustRemoved(Outbox.newEventId(), removal.connectionId(), Instant.now(),
                removal.trustEdits(), removed));
    }

    /** Removing failed for good (or beyond the retries): some of the step's trust may still be there. */
    @Transactional
    public void removalFailed(ConnectionEvent trigger, PendingTrustRemoval removal, StepFailure failure) {
        TrustLink link = links.lockOrCreate(removal.connectionId());
        inbox.record(trigger);
        link.markRemovalFailed(failure);
        outbox.publish(new TrustRemovalFailed(Outbox.newEventId(), removal.connectionId(), Instant.now(), failure));
    }
}

package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent.TrustRemovalFailed;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdateFailed;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.runtime.messaging.Inbox;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.StepWarnings;
import io.crosslink.runtime.work.WorkQueue;
import io.crosslink.trust.domain.Certificates;
import io.crosslink.trust.domain.TrustEditRecord;
import io.crosslink.trust.domain.TrustEditState;
import io.crosslink.trust.domain.TrustLink;
import io.crosslink.trust.domain.TrustShare;
import io.crosslink.trust.domain.TrustStatus;
import io.crosslink.trust.domain.TrustTarget;
import io.crosslink.trust.domain.UndoTrigger;
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
 * recorded edits, the inbox, the outbox and the work queue. Short transactions only: no Cloud API call happens inside
 * one, and the row lock is held only while a transaction decides (the per-deployment {@link DeploymentLocks} keep a
 * recorded edit and its PUT together instead). The consumer records and queues ({@link #accept},
 * {@link #startRemoval}); the {@code update-trust} and {@code remove-trust} work items do the rest, one at a time per
 * connection.
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
    private final WorkQueue work;

    public TrustLedger(TrustLinks links, Inbox inbox, Outbox outbox, WorkQueue work) {
        this.links = links;
        this.inbox = inbox;
        this.outbox = outbox;
        this.work = work;
    }

    // --- the step

    /**
     * Takes a certificate-model request and queues the step ({@code update-trust}, on both deployments), recording
     * the request in the same transaction. A redelivered request changes nothing; after the tombstone, or once the
     * step finished (or failed: not tried again), it is only recorded.
     */
    @Transactional
    public void accept(ConnectionRequested requested) {
        if (inbox.seen(requested.eventId())) {
            LOG.debugf("ConnectionRequested %s of connection %s was processed already", requested.eventId(),
                    requested.connectionId());
            return;
        }
        TrustLink link = links.lockOrCreate(requested.connectionId());
        inbox.record(requested);
        if (!link.hasRequest()) {
            link.takeRequest(requested);
        }
        if (!link.stepDue()) {
            if (link.compensating()) {
                LOG.infof("connection %s: ConnectionRequested after compensation began; trust is not written",
                        requested.connectionId());
                link.markAbandoned();
            }
            return;
        }
        link.markUpdating();
        work.enqueue(CertificateTrustService.KIND, requested, deployments(link));
    }

    /**
     * The step a work item is to run, with the edits an earlier run recorded; empty when it is not due any more
     * (finished, failed, abandoned: a run after its commit). {@code writing}: the run is to write trust, so a
     * tombstone stops it here (nothing announced: the undo chain reports); a plan wait goes on until the undo starts.
     */
    @Transactional
    public Optional<PendingTrust> resume(String connectionId, boolean writing) {
        TrustLink link = links.lockOrCreate(connectionId);
        if (!link.hasRequest() || link.status != TrustStatus.UPDATING) {
            return Optional.empty();
        }
        if (writing && link.compensating()) {
            LOG.infof("connection %s: compensation began before the trust step wrote; it stops", connectionId);
            link.markAbandoned();
            return Optional.empty();
        }
        return Optional.of(PendingTrust.of(link, links.edits(connectionId)));
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
     * announced when the undo already began or finished meanwhile (it reports for the step), nor twice.
     */
    @Transactional
    public void updated(String connectionId, List<TrustEdit> edits, Map<String, String> directUids) {
        TrustLink link = links.lockOrCreate(connectionId);
        if (link.status != TrustStatus.UPDATING) {
            return;
        }
        for (TrustEditRecord record : links.edits(connectionId)) {
            if (record.state == TrustEditState.PLANNED) {
                record.markApplied(directUids.get(record.deploymentId));
            }
        }
        link.markUpdated();
        if (link.undoFinished()) {
            LOG.infof("connection %s: trust written, but its undo already finished; not announced", connectionId);
            return;
        }
        outbox.publish(new TrustUpdated(Outbox.newEventId(), connectionId, Instant.now(),
                edits.stream().filter(edit -> !edit.noop()).toList(), StepWarnings.current()));
    }

    /**
     * The step failed for good (a refusal, out of attempts, the plan wait's deadline); edits stay, for the undo, and
     * are announced with the failure.
     */
    @Transactional
    public void failed(String connectionId, StepFailure failure) {
        TrustLink link = links.lockOrCreate(connectionId);
        if (link.status != TrustStatus.UPDATING) {
            return;
        }
        link.markFailed(failure);
        if (!link.undoFinished()) {
            // Recorded before each PUT: what the deployments hold, or may hold, of this step.
            List<TrustEdit> edits = links.edits(connectionId).stream().map(TrustEditRecord::edit)
                    .filter(edit -> !edit.noop()).toList();
            outbox.publish(new TrustUpdateFailed(Outbox.newEventId(), connectionId, Instant.now(), failure, edits));
        }
    }

    /** The tombstone stopped the step before a write; nothing is announced (the undo chain reports). */
    @Transactional
    public void abandoned(String connectionId) {
        links.lockOrCreate(connectionId).markAbandoned();
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
     * Records the undo's trigger (RemoteRemoved or RemoteRemovalFailed) and queues the undo ({@code remove-trust}, on
     * both deployments) when the step recorded edits that changed something; when there are none (the step never
     * wrote, or found everything trusted), TrustRemoved(removed=false) at once. The tombstone is recorded here too,
     * and a step still due stops (its next run sees it). A redelivered trigger changes nothing.
     */
    @Transactional
    public void startRemoval(ConnectionEvent trigger) {
        if (inbox.seen(trigger.eventId())) {
            LOG.debugf("%s %s of connection %s was processed already", trigger.cloudEventType(), trigger.eventId(),
                    trigger.connectionId());
            return;
        }
        TrustLink link = links.lockOrCreate(trigger.connectionId());
        inbox.record(trigger);
        link.startCompensation(Instant.now());
        link.markAbandoned();
        PendingTrustRemoval removal = PendingTrustRemoval.of(link, links.edits(trigger.connectionId()));
        if (removal.edits().isEmpty()) {
            link.markRemoved(trigger.eventId());
            outbox.publish(new TrustRemoved(Outbox.newEventId(), trigger.connectionId(), Instant.now(), List.of(),
                    false, UndoTrigger.of(trigger).chain()));
            LOG.infof("connection %s: no trust was changed, nothing to remove", trigger.connectionId());
            return;
        }
        link.markRemoving();
        work.enqueue(CertificateUndoService.KIND, trigger, deployments(link));
    }

    /**
     * The undo a work item is to run for {@code trigger}: the recorded edits as they are now; empty when its outcome
     * was announced already (a run after its commit).
     */
    @Transactional
    public Optional<PendingTrustRemoval> pendingRemoval(String connectionId, String trigger) {
        TrustLink link = links.lockOrCreate(connectionId);
        if (link.undoReported(trigger) || !link.hasRequest()) {
            return Optional.empty();
        }
        return Optional.of(PendingTrustRemoval.of(link, links.edits(connectionId)));
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
     * to remove; false when no edit had landed (the step's writes were all refused). The answer carries the trigger's
     * chain back.
     */
    @Transactional
    public void removed(PendingTrustRemoval removal, UndoTrigger trigger, boolean removed) {
        TrustLink link = links.lockOrCreate(removal.connectionId());
        links.edits(removal.connectionId()).forEach(TrustEditRecord::markRemoved);
        link.markRemoved(trigger.eventId());
        outbox.publish(new TrustRemoved(Outbox.newEventId(), removal.connectionId(), Instant.now(),
                removal.trustEdits(), removed, trigger.chain()));
    }

    /** Removing failed for good (or out of time): some of the step's trust may still be there. */
    @Transactional
    public void removalFailed(PendingTrustRemoval removal, UndoTrigger trigger, StepFailure failure,
            Certainty certainty) {
        TrustLink link = links.lockOrCreate(removal.connectionId());
        link.markRemovalFailed(failure, trigger.eventId());
        outbox.publish(new TrustRemovalFailed(Outbox.newEventId(), removal.connectionId(), Instant.now(), failure,
                certainty, trigger.chain()));
    }

    /** The permits a certificate-model work item takes: L and R. */
    private static List<String> deployments(TrustLink link) {
        DeploymentInfo local = link.local();
        DeploymentInfo remote = link.remote();
        return List.of(WorkQueue.deployment(local.environment(), local.deploymentId()),
                WorkQueue.deployment(remote.environment(), remote.deploymentId()));
    }
}

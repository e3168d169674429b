package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.StepFailure;
import io.crosslink.events.StrongIdentity;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.StepWarnings;
import io.crosslink.trust.domain.EntryStatus;
import io.crosslink.trust.domain.GrantStatus;
import io.crosslink.trust.domain.KeystoreEntry;
import io.crosslink.trust.domain.SigningCaGrant;
import io.crosslink.trust.repository.KeystoreEntries;
import io.crosslink.trust.repository.SigningCaGrants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The transactional half of strong identity's grant: the reference of each connection to L's signing CA on R, and
 * the keystore step's announcement once both halves are done (the keystore entry
 * written and the grant done, in either order: {@link #keystoreStepDone}). Each method locks the connection's
 * keystore entry row, so the two halves' outcomes never both think they are last. The calls to R happen between
 * these transactions, under R's advisory lock ({@link SigningCaWriter}).
 */
@ApplicationScoped
public class SigningCaLedger {
    private static final Logger LOG = Logger.getLogger(SigningCaLedger.class);

    private final KeystoreEntries entries;
    private final SigningCaGrants grants;
    private final Outbox outbox;

    public SigningCaLedger(KeystoreEntries entries, SigningCaGrants grants, Outbox outbox) {
        this.entries = entries;
        this.grants = grants;
        this.outbox = outbox;
    }

    /**
     * In the consumer's transaction: records the grant a strong-identity request asks for; returns it when it is new
     * (its work item is to be queued), empty when there is none to make or it was recorded already.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<PendingGrant> want(ConnectionRequested requested) {
        StrongIdentity identity = requested.strongIdentity();
        if (identity == null || grants.find(requested.connectionId()).isPresent()) {
            return Optional.empty();
        }
        SigningCaGrant grant = SigningCaGrant.wanted(requested.connectionId(), requested.remote().environment(),
                requested.remote().deploymentId(), identity.certificateAuthority());
        grants.add(grant);
        return Optional.of(PendingGrant.of(grant));
    }

    /** The connection's grant, whatever its state. */
    @Transactional
    public Optional<PendingGrant> grantOf(String connectionId) {
        return grants.find(connectionId).map(PendingGrant::of);
    }

    /**
     * The grant due now; empty when it was done or given up already (a run after its commit), or compensation began
     * first (then it is abandoned: nothing was written for it, and nothing is announced).
     */
    @Transactional
    public Optional<PendingGrant> beginGrant(String connectionId) {
        KeystoreEntry entry = entries.lockOrCreate(connectionId);
        Optional<SigningCaGrant> found = grants.find(connectionId);
        if (found.isEmpty() || found.get().status != GrantStatus.WANTED) {
            return Optional.empty();
        }
        if (entry.compensating()) {
            LOG.infof("connection %s: compensation began before L's signing CA was listed on %s; not listing it",
                    connectionId, found.get().deploymentId);
            found.get().markAbandoned();
            return Optional.empty();
        }
        return Optional.of(PendingGrant.of(found.get()));
    }

    /** R lists the path now. The keystore step is announced if its entry is written too. */
    @Transactional
    public void granted(PendingGrant grant) {
        KeystoreEntry entry = entries.lockOrCreate(grant.connectionId());
        SigningCaGrant row = grants.find(grant.connectionId()).orElseThrow();
        row.markGranted();
        if (keystoreStepDone(entry, row)) {
            announceUpdated(entry);
        }
    }

    /** Under R's lock: the paths the connections whose grant is done hold on R. */
    @Transactional
    public List<String> grantedPaths(String deploymentId) {
        return grants.grantedPaths(deploymentId);
    }

    /**
     * The grant failed for good ({@code failure} redacted): KeystoreUpdateFailed, unless the keystore write failed and
     * announced already or the undo reported.
     */
    @Transactional
    public void grantFailed(PendingGrant grant, StepFailure failure) {
        KeystoreEntry entry = entries.lockOrCreate(grant.connectionId());
        grants.find(grant.connectionId()).orElseThrow().markFailed(failure);
        if (entry.status == EntryStatus.FAILED || entry.undoFinished()) {
            LOG.infof("connection %s: listing L's signing CA on %s failed; the step's failure was reported already",
                    grant.connectionId(), grant.deploymentId());
            return;
        }
        outbox.publish(new KeystoreUpdateFailed(Outbox.newEventId(), grant.connectionId(), Instant.now(), failure));
    }

    /**
     * The undo's first part, under R's lock: whether R's list must be written without the connection's path. Not for
     * a grant never written (still wanted: it will not be any more; abandoned), nor one released already; nor when
     * another connection holds the path or is about to (then the reference is simply given up). A granted grant, or
     * a failed one (its PUT may have applied), that was the last reference must.
     */
    @Transactional
    public boolean releaseDue(PendingGrant grant) {
        SigningCaGrant row = grants.find(grant.connectionId()).orElseThrow();
        if (row.status == GrantStatus.RELEASED || row.status == GrantStatus.ABANDONED) {
            return false;
        }
        if (row.status == GrantStatus.WANTED
                || grants.heldByAnother(grant.deploymentId(), grant.caPath(), grant.connectionId())) {
            row.markReleased();
            return false;
        }
        return true;
    }

    /** Under R's lock, once R's list was written without the path: the reference is given up. */
    @Transactional
    public void released(PendingGrant grant) {
        grants.find(grant.connectionId()).orElseThrow().markReleased();
    }

    /**
     * Whether both halves of a strong-identity connection's keystore step are done: the current key written and
     * the grant done (a connection without a grant needs the key only).
     */
    private boolean keystoreStepDone(KeystoreEntry entry, SigningCaGrant grant) {
        boolean written = entry.keyId != null && entry.keyId.equals(entry.keystoreKeyId);
        return written && (grant == null || grant.granted()) && !entry.undoFinished();
    }

    /** Whether the connection's grant is still to be done (its keystore write is then announced by the grant). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean grantOutstanding(String connectionId) {
        return grants.find(connectionId).map(grant -> !grant.granted()).orElse(false);
    }

    /** Whether the connection's grant failed (and announced the step's failure). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean grantFailed(String connectionId) {
        return grants.find(connectionId).map(SigningCaGrant::failed).orElse(false);
    }

    private void announceUpdated(KeystoreEntry entry) {
        outbox.publish(new KeystoreUpdated(Outbox.newEventId(), entry.connectionId, Instant.now(), entry.settingName,
                StepWarnings.current()));
    }
}

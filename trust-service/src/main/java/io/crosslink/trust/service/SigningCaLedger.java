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
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The transactional half of strong identity's grant: the reference of each connection to L's signing CA on R, whether
 * Crosslink added the path, and the keystore step's announcement once both halves are done (the keystore entry
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

    /** Before the PUT that adds the path: Crosslink adds it (or may have, if the answer is lost). */
    @Transactional
    public void adding(PendingGrant grant) {
        grants.pathOrCreate(grant.deploymentId(), grant.caPath()).markAdded(true);
    }

    /**
     * R lists the path (added now, or found there: then who added it is left as recorded, "not Crosslink" when
     * unknown). The keystore step is announced if its entry is written too.
     */
    @Transactional
    public void granted(PendingGrant grant) {
        KeystoreEntry entry = entries.lockOrCreate(grant.connectionId());
        grants.pathOrCreate(grant.deploymentId(), grant.caPath());
        SigningCaGrant row = grants.find(grant.connectionId()).orElseThrow();
        row.markGranted();
        if (keystoreStepDone(entry, row)) {
            announceUpdated(entry);
        }
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
     * The undo's first part, under R's lock: the connection gives its reference up. Returns whether the path is to
     * be removed from R now: Crosslink added it (or may have) and no other connection holds it or is about to.
     */
    @Transactional
    public boolean release(PendingGrant grant) {
        SigningCaGrant row = grants.find(grant.connectionId()).orElseThrow();
        if (row.status != GrantStatus.RELEASED) {
            row.markReleased();
        }
        if (grants.heldByAnother(grant.deploymentId(), grant.caPath(), grant.connectionId())) {
            return false;
        }
        return grants.path(grant.deploymentId(), grant.caPath()).map(path -> path.addedByCrosslink).orElse(false);
    }

    /** Under R's lock: R no longer lists the path. */
    @Transactional
    public void pathGone(PendingGrant grant) {
        grants.path(grant.deploymentId(), grant.caPath()).ifPresent(path -> path.markAdded(false));
    }

    /**
     * Whether both halves of a strong-identity connection's keystore step are done: the current key written and
     * the grant done (a connection without a grant needs the key only).
     */
    public boolean keystoreStepDone(KeystoreEntry entry, SigningCaGrant grant) {
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

package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.Certainty;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SigningAuthorityLeft;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.trust.client.KeystoreClient;
import io.crosslink.trust.domain.UndoTrigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * The undo of the keystore step, trust-service's link of the compensation chain. CompensationStarted leaves a
 * tombstone (the keystore is never written for the connection again). RemoteRemoved or RemoteRemovalFailed (the
 * previous link, done or not) removes {@code cluster.remote.<alias>.credentials} from L's keystore if this service
 * wrote it or may have, and emits KeystoreEntryRemoved(removed=true), or KeystoreEntryRemoved(removed=false)
 * without calling the Cloud API when nothing was written, or KeystoreEntryRemovalFailed (redacted). A new trigger
 * (a repeated chain) runs the idempotent removal again; a redelivered one changes nothing.
 *
 * <p>The consumer only records (tombstone, trigger, and a {@value #KIND} work item); the work item makes the
 * removal PATCH. When its outcome is unknown (timeout, 5xx, dropped connection: the Cloud API may have applied it
 * after the client gave up), the item parks and its next run first reads L's keystore ({@code GET .../keystore}):
 * the entry absent means removed. It retries until shortly before the undo chain's deadline ({@link UndoRetry}; the
 * configured runs for a chain without one), then reads once more before reporting: KeystoreEntryRemovalFailed only
 * when the entry is still listed or the keystore cannot be read. Every answer carries the trigger's chain back.
 *
 * <p>With strong identity the item first releases the connection's reference to L's signing CA on R
 * ({@link SigningCaWriter#release}: the path leaves R's list with its last reference); a release
 * that fails for good ends the undo with KeystoreEntryRemovalFailed naming the CA ({@code signingAuthority}), the
 * keystore entry untried. So the item declares L and R.
 */
@ApplicationScoped
public class KeystoreUndoService implements WorkHandler {
    /** The work item that removes the keystore entry; its deployments are L (and R with strong identity). */
    public static final String KIND = "remove-keystore-entry";
    private static final Logger LOG = Logger.getLogger(KeystoreUndoService.class);

    private final RemovalLedger ledger;
    private final KeystoreClient keystore;
    private final UndoRetry retry;
    private final SigningCaLedger signingCa;
    private final SigningCaWriter signingCaWriter;

    public KeystoreUndoService(RemovalLedger ledger, KeystoreClient keystore, UndoRetry retry,
            SigningCaLedger signingCa, SigningCaWriter signingCaWriter) {
        this.ledger = ledger;
        this.keystore = keystore;
        this.retry = retry;
        this.signingCa = signingCa;
        this.signingCaWriter = signingCaWriter;
    }

    /** Records the tombstone. What throws is the database, tried again briefly. */
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public void compensationStarted(CompensationStarted event) {
        ledger.compensationStarted(event);
    }

    /**
     * The consumer's part of RemoteRemoved or RemoteRemovalFailed: records it and queues the removal (or announces
     * at once that there is nothing to remove). What throws is the database, tried again briefly.
     */
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public void removeEntry(ConnectionEvent trigger) {
        ledger.startRemoval(trigger);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Removes the entry. The checkpoint, when there is one, is the failure of an earlier removal whose outcome is
     * unknown: then the keystore is read first.
     */
    @Override
    public WorkResult run(Work work) {
        UndoTrigger trigger = UndoTrigger.of(work.event());
        Optional<PendingRemoval> due = ledger.pendingRemoval(work.connectionId(), trigger.eventId());
        if (due.isEmpty()) {
            return WorkResult.done();
        }
        PendingRemoval removal = due.get();
        Optional<PendingGrant> grant = signingCa.grantOf(work.connectionId());
        if (grant.isPresent()) {
            Optional<WorkResult> stopped = release(work, removal, trigger, grant.get());
            if (stopped.isPresent()) {
                return stopped.get();
            }
        }
        if (!removal.mayHoldEntry()) {
            return removed(removal, trigger, false, "nothing was written to the keystore");
        }
        Optional<StepFailure> inDoubt = work.checkpoint().map(json -> EventCodec.read(json, StepFailure.class));
        if (inDoubt.isPresent()) {
            try {
                if (!holds(removal)) {
                    return removed(removal, trigger, true, "an earlier removal took effect");
                }
            } catch (TransientElasticCallException e) {
                return tryAgain(work, removal, trigger, inDoubt.get(), e.retryAfter());
            } catch (ElasticCallException e) {
                // The keystore cannot be read: whether the earlier removal took effect stays unknown.
                return failed(removal, trigger, inDoubt.get(), Certainty.POSSIBLE);
            }
        }
        try {
            keystore.removeSecret(removal.resource(), removal.settingName());
        } catch (TransientElasticCallException e) {
            return tryAgain(work, removal, trigger, e.failure(), e.retryAfter());
        } catch (ElasticCallException e) {
            return lastLook(removal, trigger, e.failure());
        }
        return removed(removal, trigger, true, "removed");
    }

    /**
     * Strong identity, before the keystore entry: releases the connection's reference to L's signing CA on R (the
     * last reference out writes R's list without the path). Empty when it is released and the keystore entry is next;
     * else the run ends here: parked after a failure that may pass (the next run writes the same list again), or, out
     * of time or refused, reported without trying the keystore entry. The CA is then a possible leftover, never a
     * confirmed one: Elasticsearch does not let R's list be read.
     */
    private Optional<WorkResult> release(Work work, PendingRemoval removal, UndoTrigger trigger, PendingGrant grant) {
        try {
            signingCaWriter.release(grant);
            return Optional.empty();
        } catch (TransientElasticCallException e) {
            Optional<Duration> delay = retry.nextDelay(work, trigger.chain(), e.retryAfter());
            if (delay.isPresent()) {
                LOG.infof("connection %s: removing %s from %s: %s: %s (%s); again in %d ms", removal.connectionId(),
                        grant.caPath(), grant.deploymentId(), e.failure().type(), e.failure().reason(),
                        retry.describeRun(work, trigger.chain()), delay.get().toMillis());
                return Optional.of(WorkResult.park(delay.get(), e.failure().type() + ": " + e.failure().reason()));
            }
            return releaseFailed(removal, trigger, grant, e.failure());
        } catch (ElasticCallException e) {
            return releaseFailed(removal, trigger, grant, e.failure());
        }
    }

    private Optional<WorkResult> releaseFailed(PendingRemoval removal, UndoTrigger trigger, PendingGrant grant,
            StepFailure failure) {
        LOG.warnf("connection %s: removing %s from %s failed (possible leftover): %s: %s; the keystore entry is not "
                + "tried", removal.connectionId(), grant.caPath(), grant.deploymentId(), failure.type(), failure.reason());
        ledger.removalFailed(removal, trigger, failure, Certainty.POSSIBLE,
                new SigningAuthorityLeft(grant.deploymentId(), grant.caPath(), Certainty.POSSIBLE));
        return Optional.of(WorkResult.done());
    }

    /**
     * After a removal (or a read) that failed in a way that may pass: parks, remembering the removal's failure; out
     * of time (or attempts), a last look at the keystore decides.
     */
    private WorkResult tryAgain(Work work, PendingRemoval removal, UndoTrigger trigger, StepFailure failure,
            Optional<Duration> retryAfter) {
        Optional<Duration> delay = retry.nextDelay(work, trigger.chain(), retryAfter);
        if (delay.isPresent()) {
            LOG.infof("connection %s: removing %s from the keystore of %s: %s: %s (%s); looking again in %d ms",
                    removal.connectionId(), removal.settingName(), removal.resource().deploymentId(), failure.type(),
                    failure.reason(), retry.describeRun(work, trigger.chain()), delay.get().toMillis());
            return WorkResult.park(delay.get(), EventCodec.encode(failure), failure.type() + ": " + failure.reason());
        }
        return lastLook(removal, trigger, failure);
    }

    /**
     * The removal failed for good: one read of L's keystore decides what is reported. The entry listed is a confirmed
     * leftover; absent, the removal took effect after all (only its answer was lost); unreadable, a possible one.
     */
    private WorkResult lastLook(PendingRemoval removal, UndoTrigger trigger, StepFailure failure) {
        try {
            if (!holds(removal)) {
                return removed(removal, trigger, true, "the last removal took effect");
            }
            return failed(removal, trigger, failure, Certainty.CONFIRMED);
        } catch (ElasticCallException e) {
            LOG.warnf("connection %s: the keystore of %s cannot be read: %s", removal.connectionId(),
                    removal.resource().deploymentId(), e.getMessage());
            return failed(removal, trigger, failure, Certainty.POSSIBLE);
        }
    }

    /** Whether L's keystore lists the entry now. */
    private boolean holds(PendingRemoval removal) {
        return keystore.listSecrets(removal.resource()).contains(removal.settingName());
    }

    private WorkResult removed(PendingRemoval removal, UndoTrigger trigger, boolean removed, String how) {
        ledger.removed(removal, trigger, removed);
        LOG.infof("connection %s: %s removed from the keystore of %s (%s)", removal.connectionId(),
                removal.settingName(), removal.resource().deploymentId(), how);
        return WorkResult.done();
    }

    private WorkResult failed(PendingRemoval removal, UndoTrigger trigger, StepFailure failure,
            Certainty certainty) {
        LOG.warnf("connection %s: removing %s from the keystore of %s failed (%s leftover): %s: %s",
                removal.connectionId(), removal.settingName(), removal.resource().deploymentId(),
                certainty.name().toLowerCase(java.util.Locale.ROOT), failure.type(), failure.reason());
        ledger.removalFailed(removal, trigger, failure, certainty);
        return WorkResult.done();
    }
}

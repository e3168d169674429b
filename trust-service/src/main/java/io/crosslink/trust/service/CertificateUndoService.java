package io.crosslink.trust.service;

import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.trust.domain.TrustEditState;
import io.crosslink.trust.domain.UndoTrigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * The undo of the certificate-model trust step, trust-service's link of that model's compensation chain.
 * CompensationStarted leaves a tombstone (no trust is written for the connection any more). RemoteRemoved or
 * RemoteRemovalFailed (the previous link, done or not) removes from each deployment's trust exactly what the
 * step's recorded edits added, keeping every other entry and field, waits until no plan is pending, and emits
 * TrustRemoved(edits, removed), TrustRemoved(removed=false) at once when the step changed nothing, or
 * TrustRemovalFailed. A step finishing late is undone too: its edits are recorded before their PUTs, and the step's
 * work item and the undo's never run at the same time (one work item of a connection at a time).
 *
 * <p>The consumer only records (tombstone, trigger, and a {@value #KIND} work item on L and R). The work item removes
 * the edits (a transient failure parks it, remembering in its checkpoint which deployments it may have changed), then
 * looks at the changed deployments' plans, parking between looks ({@link Progress}) until none is pending. Both the
 * retries and the plan wait last until shortly before the undo chain's deadline ({@link UndoRetry}); for a chain
 * without one, the configured runs and the plan timeout. Every answer carries the trigger's chain back.
 */
@ApplicationScoped
public class CertificateUndoService implements WorkHandler {
    /** The work item that removes the step's trust from L and R; its deployments are L and R. */
    public static final String KIND = "remove-trust";
    private static final Logger LOG = Logger.getLogger(CertificateUndoService.class);

    private final TrustLedger ledger;
    private final TrustWriter writer;
    private final PlanWaiter plans;
    private final TrustStepSettings settings;
    private final UndoRetry retry;

    public CertificateUndoService(TrustLedger ledger, TrustWriter writer, PlanWaiter plans,
            TrustStepSettings settings, UndoRetry retry) {
        this.ledger = ledger;
        this.writer = writer;
        this.plans = plans;
        this.settings = settings;
        this.retry = retry;
    }

    /**
     * The checkpoint of the undo: the deployments whose trust it changed (or may have), and once the removals are
     * done, the deadline of the plan wait (null before; a chain's own deadline replaces it).
     */
    public record Progress(List<String> changed, Instant planDeadline) {
        public Progress {
            changed = List.copyOf(changed);
        }
    }

    /** Records the tombstone. What throws is the database, tried again briefly. */
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public void compensationStarted(CompensationStarted event) {
        ledger.compensationStarted(event);
    }

    /** Whether the connection is of the certificate model (this service took its request): the undo is then this. */
    public boolean handles(String connectionId) {
        return ledger.certificateModel(connectionId);
    }

    /**
     * The consumer's part of RemoteRemoved or RemoteRemovalFailed: records it and queues the undo (or announces at
     * once that nothing was changed). What throws is the database, tried again briefly.
     */
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public void removeTrust(ConnectionEvent trigger) {
        ledger.startRemoval(trigger);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public WorkResult run(Work work) {
        UndoTrigger trigger = UndoTrigger.of(work.event());
        Optional<PendingTrustRemoval> due = ledger.pendingRemoval(work.connectionId(), trigger.eventId());
        if (due.isEmpty()) {
            return WorkResult.done();
        }
        PendingTrustRemoval removal = due.get();
        Progress progress = work.checkpoint().map(json -> EventCodec.read(json, Progress.class))
                .orElse(new Progress(List.of(), null));
        if (progress.planDeadline() != null) {
            return lookAtPlans(removal, trigger, progress);
        }
        Set<String> changed = new LinkedHashSet<>(progress.changed());
        StepFailure failure;
        TrustEdit current = null;
        try {
            for (PendingTrustRemoval.Owned owned : removal.edits()) {
                current = owned.edit();
                DeploymentInfo self = removal.deployment(current);
                if (writer.untrust(removal.connectionId(), self, owned, removal.peer(current).kind())) {
                    changed.add(self.deploymentId());
                }
            }
        } catch (RetryLater e) {
            if (e.mayHaveLanded()) {
                changed.add(current.deploymentId());
            }
            return tryAgain(work, removal, trigger, leftover(e.failure(), current), e.retryAfter(), changed);
        } catch (TransientElasticCallException e) {
            return tryAgain(work, removal, trigger, leftover(e.failure(), current), e.retryAfter(), changed);
        } catch (TrustStepException e) {
            failure = leftover(e.failure(), current);
            return lastLook(removal, trigger, failure);
        } catch (ElasticCallException e) {
            failure = leftover(e.failure(), current);
            return lastLook(removal, trigger, failure);
        }
        if (changed.isEmpty()) {
            return removed(removal, trigger, changed);
        }
        return lookAtPlans(removal, trigger, new Progress(List.copyOf(changed), PlanWaiter.deadline(settings)));
    }

    /**
     * One look at the changed deployments' plans: TrustRemoved when none is pending, else a park until the next; once
     * no further look is allowed (the chain's deadline near, or the plan timeout passed), TrustRemovalFailed.
     */
    private WorkResult lookAtPlans(PendingTrustRemoval removal, UndoTrigger trigger, Progress progress) {
        List<DeploymentInfo> changed = progress.changed().stream()
                .map(id -> id.equals(removal.local().deploymentId()) ? removal.local() : removal.remote()).toList();
        PlanWaiter.Look look;
        try {
            look = plans.look(changed);
        } catch (TransientElasticCallException e) {
            Duration delay = pollDelay(e.retryAfter());
            return mayLookAgain(trigger, progress, delay) ? parkForPlans(progress, delay, e.failure().type())
                    : failed(removal, trigger, e.failure());
        } catch (ElasticCallException e) {
            return failed(removal, trigger, e.failure());
        }
        if (look.settled()) {
            return removed(removal, trigger, progress.changed());
        }
        Duration delay = pollDelay(Optional.empty());
        if (!mayLookAgain(trigger, progress, delay)) {
            StepFailure timedOut = planTimedOut(look.pending(), trigger);
            LOG.warnf("connection %s: %s", removal.connectionId(), timedOut.reason());
            return failed(removal, trigger, timedOut);
        }
        return parkForPlans(progress, delay, "plan pending on " + look.pending());
    }

    /**
     * Whether the plan wait may park for {@code delay} and look again: until shortly before the chain's deadline, or,
     * for a chain without one, while the plan timeout has not passed.
     */
    private boolean mayLookAgain(UndoTrigger trigger, Progress progress, Duration delay) {
        return retry.mayWait(trigger.chain(), delay)
                .orElseGet(() -> settings.clock().instant().isBefore(progress.planDeadline()));
    }

    private StepFailure planTimedOut(List<String> pending, UndoTrigger trigger) {
        if (trigger.chain() == null || trigger.chain().deadline() == null) {
            return PlanWaiter.timedOut(pending, settings);
        }
        return new StepFailure("plan_timeout", "deployment(s) " + pending + " still report a pending plan shortly"
                + " before the undo chain's deadline " + trigger.chain().deadline(), null, true);
    }

    private Duration pollDelay(Optional<Duration> retryAfter) {
        return retryAfter.filter(after -> after.compareTo(settings.planPollInterval()) > 0)
                .orElse(settings.planPollInterval());
    }

    private WorkResult parkForPlans(Progress progress, Duration delay, String reason) {
        return WorkResult.park(delay, EventCodec.encode(progress), reason);
    }

    private WorkResult tryAgain(Work work, PendingTrustRemoval removal, UndoTrigger trigger, StepFailure failure,
            Optional<Duration> retryAfter, Set<String> changed) {
        Optional<Duration> delay = retry.nextDelay(work, trigger.chain(), retryAfter);
        if (delay.isEmpty()) {
            return lastLook(removal, trigger, failure);
        }
        LOG.infof("connection %s: removing trust: %s: %s (%s); again in %d ms", removal.connectionId(),
                failure.type(), failure.reason(), retry.describeRun(work, trigger.chain()), delay.get().toMillis());
        return WorkResult.park(delay.get(), EventCodec.encode(new Progress(List.copyOf(changed), null)),
                failure.type() + ": " + failure.reason());
    }

    /**
     * Announces TrustRemoved. {@code removed}: something was (or may have been) there to remove: an edit that had
     * landed, or a write of this undo; false when the step's writes were all refused.
     */
    private WorkResult removed(PendingTrustRemoval removal, UndoTrigger trigger, Iterable<String> changed) {
        boolean anyChanged = changed.iterator().hasNext();
        boolean removed = anyChanged
                || removal.edits().stream().anyMatch(owned -> owned.state() != TrustEditState.PLANNED);
        ledger.removed(removal, trigger, removed);
        LOG.infof("connection %s: the saga's trust is gone from %s", removal.connectionId(),
                anyChanged ? changed : "both deployments (nothing was left)");
        return WorkResult.done();
    }

    /**
     * Removing the edits failed for good: both deployments' trust settings, read now, decide what is reported. An edit
     * still held is a confirmed leftover; a deployment that cannot be read, a possible one; every edit gone means the
     * removals took effect (answers lost), and the undo goes on to wait for the plans.
     */
    private WorkResult lastLook(PendingTrustRemoval removal, UndoTrigger trigger, StepFailure failure) {
        boolean unknown = false;
        for (PendingTrustRemoval.Owned owned : removal.edits()) {
            Optional<Boolean> holds = writer.stillHolds(removal.connectionId(), removal.deployment(owned.edit()), owned,
                    removal.peer(owned.edit()).kind());
            if (holds.isEmpty()) {
                unknown = true;
            } else if (holds.get()) {
                return failed(removal, trigger, failure, Certainty.CONFIRMED);
            }
        }
        if (unknown) {
            return failed(removal, trigger, failure, Certainty.POSSIBLE);
        }
        LOG.infof("connection %s: removing trust failed (%s), yet both trust settings show the saga's part gone",
                removal.connectionId(), failure.type());
        List<String> touched = removal.edits().stream().map(owned -> owned.edit().deploymentId()).distinct().toList();
        return touched.isEmpty() ? removed(removal, trigger, touched)
                : lookAtPlans(removal, trigger, new Progress(touched, PlanWaiter.deadline(settings)));
    }

    /**
     * The undo failed. A failure of the plan wait is a possible leftover: the settings no longer hold the saga's part
     * but the change is not known to be applied.
     */
    private WorkResult failed(PendingTrustRemoval removal, UndoTrigger trigger, StepFailure failure) {
        return failed(removal, trigger, failure, Certainty.POSSIBLE);
    }

    private WorkResult failed(PendingTrustRemoval removal, UndoTrigger trigger, StepFailure failure,
            Certainty certainty) {
        LOG.warnf("connection %s: removing trust failed (%s leftover): %s: %s", removal.connectionId(),
                certainty.name().toLowerCase(java.util.Locale.ROOT), failure.type(), failure.reason());
        ledger.removalFailed(removal, trigger, failure, certainty);
        return WorkResult.done();
    }


    /** Names what may be left (the {@code trust_entry} leftover) in the failure's reason. */
    private static StepFailure leftover(StepFailure failure, TrustEdit edit) {
        if (edit == null) {
            return failure;
        }
        return new StepFailure(failure.type(), "trust entry " + edit.entry() + ":" + edit.scopeId()
                + " of deployment [" + edit.deploymentId() + "] may still hold the saga's part: " + failure.reason(),
                failure.httpStatus(), failure.retryable());
    }
}

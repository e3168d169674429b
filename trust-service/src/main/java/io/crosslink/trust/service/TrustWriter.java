package io.crosslink.trust.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.client.TrustClient;
import io.crosslink.trust.client.TrustVersionConflict;
import io.crosslink.trust.domain.DeploymentState;
import io.crosslink.trust.domain.SharedUndo;
import io.crosslink.trust.domain.TrustPlan;
import io.crosslink.trust.domain.TrustSettingsEditor;
import io.crosslink.trust.domain.TrustTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Read-modify-write of one deployment's trust settings, for the step (add the peer) and the undo (remove what the
 * step added). Each attempt reads the deployment, edits what it read ({@link TrustSettingsEditor}) and writes the
 * complete trust back naming the version it read, under the deployment's lock. A 409 (another writer came first)
 * reads again at once, up to {@code crosslink.trust.write-attempts}; a transient failure, or 409s beyond them, throw
 * {@link RetryLater}: the work item parks and runs again (nothing waits here); other refusals end it.
 *
 * <p>Whether an earlier attempt may have landed matters to the step: the edit is recorded (committed) before each
 * PUT, and once a PUT may have applied (a crash before, a timeout or 5xx now or in an earlier run) the next attempt
 * keeps that edit and only extends it ({@link TrustSettingsEditor#reapply}); after a 409, which applied nothing, it
 * plans afresh within the run.
 */
@ApplicationScoped
public class TrustWriter {
    private static final Logger LOG = Logger.getLogger(TrustWriter.class);

    private final TrustClient client;
    private final TrustLedger ledger;
    private final DeploymentLocks locks;
    private final TrustStepSettings settings;

    public TrustWriter(TrustClient client, TrustLedger ledger, DeploymentLocks locks, TrustStepSettings settings) {
        this.client = client;
        this.ledger = ledger;
        this.locks = locks;
        this.settings = settings;
    }

    /**
     * Makes {@code self} trust the target's peer. {@code recorded}: the edit an earlier run recorded (it may have
     * landed); {@code read}: a fresh read of {@code self} for the first attempt, or null. Returns the edit (a noop
     * when {@code self} trusted the peer already), or empty when compensation began before the write.
     */
    public Optional<TrustEdit> trust(String connectionId, DeploymentInfo self, TrustTarget target,
            Optional<TrustEdit> recorded, DeploymentState read) {
        TrustEdit owned = recorded.orElse(null);
        boolean mayHaveLanded = recorded.isPresent();
        DeploymentState state = read;
        for (int attempt = 1;; attempt++) {
            DeploymentState current = state;
            TrustEdit planned = owned;
            boolean inDoubt = mayHaveLanded;
            Attempt<TrustEdit> outcome = locks.withLock(self, () -> {
                DeploymentState fresh = current != null ? current : client.readDeployment(resource(self));
                ObjectNode trust = trustOf(fresh, self);
                TrustPlan plan = inDoubt ? TrustSettingsEditor.reapply(trust, planned, target)
                        : TrustSettingsEditor.plan(trust, target);
                if (!ledger.recordEdit(connectionId, plan.edit(), target)) {
                    return Attempt.stoppedByTombstone();
                }
                if (!plan.changed()) {
                    return Attempt.done(plan.edit());
                }
                return put(self, fresh, plan);
            });
            if (outcome.stopped()) {
                LOG.infof("connection %s: compensation began; trust of %s is not written", connectionId,
                        self.deploymentId());
                return Optional.empty();
            }
            if (outcome.result() != null) {
                TrustEdit edit = outcome.result();
                LOG.infof("connection %s: %s trusts %s (%s %s: %s)", connectionId, self.deploymentId(),
                        target.peerDeploymentId(), edit.entry(), edit.scopeId(), describe(edit));
                return Optional.of(edit);
            }
            owned = outcome.planned();
            mayHaveLanded |= outcome.mayHaveLanded();
            state = null;
            readAgainOrLater(attempt, outcome, outcome.mayHaveLanded(), "trust update of " + self.deploymentId());
        }
    }

    /**
     * Removes what the connection's edit added from {@code self}'s trust ({@code directType}: the type of a direct
     * entry, i.e. the peer's kind), leaving what other live connections still need and handing it over to them
     * ({@link TrustSettingsEditor#undoShared}). Returns whether the trust was (or may have been) changed; a
     * {@link RetryLater} says whether a write of this call may have landed.
     */
    public boolean untrust(String connectionId, DeploymentInfo self, PendingTrustRemoval.Owned owned,
            String directType) {
        TrustEdit edit = owned.edit();
        boolean changed = false;
        for (int attempt = 1;; attempt++) {
            Attempt<TrustEdit> outcome = locks.withLock(self, () -> {
                DeploymentState state = client.readDeployment(resource(self));
                ObjectNode trust = trustOf(state, self);
                // Read under the deployment's lock: a step of another connection records its edit under it too.
                SharedUndo undo = TrustSettingsEditor.undoShared(trust, owned.share(), directType, owned.directUid(),
                        ledger.liveShares(connectionId, self.deploymentId()));
                if (!undo.handedOver().isEmpty() && !ledger.handOver(self.deploymentId(), undo.handedOver(),
                        owned.directUid() != null ? owned.directUid()
                                : TrustSettingsEditor.directUid(trust, edit, directType).orElse(null))) {
                    return Attempt.<TrustEdit>failed(edit, new StepFailure("trust_shares_changed", "a connection "
                            + "sharing the trust entry began compensating meanwhile", null, true), false, false,
                            null);
                }
                TrustPlan plan = undo.plan();
                return plan.changed() ? put(self, state, plan) : Attempt.<TrustEdit>nothingToDo();
            });
            if (outcome.result() != null) {
                LOG.infof("connection %s: %s no longer trusts %s through it (%s %s: %s removed)", connectionId,
                        self.deploymentId(), edit.peerDeploymentId(), edit.entry(), edit.scopeId(), describe(edit));
                return true;
            }
            if (outcome.nothing()) {
                return changed;
            }
            changed |= outcome.mayHaveLanded();
            readAgainOrLater(attempt, outcome, changed, "trust removal on " + self.deploymentId());
        }
    }

    /**
     * After a failed undo: whether {@code self}'s trust settings, read now, still hold the connection's part of the
     * edit (an undo would still change them); empty when the deployment cannot be read or shows no trust settings.
     */
    public Optional<Boolean> stillHolds(String connectionId, DeploymentInfo self, PendingTrustRemoval.Owned owned,
            String directType) {
        try {
            ObjectNode trust = trustOf(client.readDeployment(resource(self)), self);
            return Optional.of(TrustSettingsEditor.undoShared(trust, owned.share(), directType, owned.directUid(),
                    ledger.liveShares(connectionId, self.deploymentId())).plan().changed());
        } catch (ElasticCallException | TrustStepException e) {
            // Unreadable, or read without trust settings: the read cannot tell (and must not end the item by throwing).
            LOG.infof("connection %s: the trust settings of %s cannot be read: %s", connectionId, self.deploymentId(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    private Attempt<TrustEdit> put(DeploymentInfo self, DeploymentState state, TrustPlan plan) {
        try {
            client.updateTrust(resource(self), state, plan.trust());
            return Attempt.done(plan.edit());
        } catch (TrustVersionConflict e) {
            // Another writer changed the deployment since it was read; nothing of this PUT applied.
            return Attempt.failed(plan.edit(), e.failure(), false, false, e);
        } catch (TransientElasticCallException e) {
            return Attempt.failed(plan.edit(), e.failure(), true, true, e);
        }
    }

    /**
     * After a failed attempt: read again now when another writer came first (a 409, or shares that changed) and
     * attempts are left; else {@link RetryLater}, for the work item to park ({@code mayHaveLanded}: a write of this
     * call may have applied).
     */
    private void readAgainOrLater(int attempt, Attempt<?> outcome, boolean mayHaveLanded, String what) {
        StepFailure failure = outcome.failure();
        if (!outcome.transientFailure() && attempt < settings.writeAttempts()) {
            LOG.infof("%s: %s, reading again (attempt %d of %d)", what, failure.type(), attempt + 1,
                    settings.writeAttempts());
            return;
        }
        Optional<Duration> retryAfter = outcome.cause() instanceof TransientElasticCallException transientError
                ? transientError.retryAfter() : Optional.empty();
        LOG.infof("%s: %s: %s; the work item tries again later", what, failure.type(), failure.reason());
        throw new RetryLater(failure, retryAfter, mayHaveLanded);
    }

    static ObjectNode trustOf(DeploymentState state, DeploymentInfo deployment) {
        return state.trust().orElseThrow(() -> new TrustStepException(new StepFailure("trust_settings_unavailable",
                "the Cloud API shows no trust settings for deployment [" + deployment.deploymentId() + "]", null,
                false)));
    }

    static DeploymentResource resource(DeploymentInfo deployment) {
        return new DeploymentResource(deployment.environment(), deployment.deploymentId(), deployment.refId());
    }

    static String describe(TrustEdit edit) {
        if (edit.noop()) {
            return "nothing to change";
        }
        if (edit.created()) {
            return "entry created";
        }
        StringBuilder text = new StringBuilder();
        if (edit.trustAllSet()) {
            text.append("trust_all set");
        }
        if (edit.addedClusterIds() != null && !edit.addedClusterIds().isEmpty()) {
            text.append(text.isEmpty() ? "" : ", ").append("cluster ids ").append(edit.addedClusterIds());
        }
        if (edit.addedCertificates() != null && !edit.addedCertificates().isEmpty()) {
            text.append(text.isEmpty() ? "" : ", ").append(edit.addedCertificates().size()).append(" certificate(s)");
        }
        return text.toString();
    }

    /**
     * How one attempt ended: done (with its result), stopped by the tombstone, nothing to do, or failed (a
     * transient failure parks the work item; another writer coming first reads again at once).
     */
    private record Attempt<T>(T result, boolean stopped, boolean nothing, T planned, StepFailure failure,
            boolean mayHaveLanded, boolean transientFailure, Throwable cause) {

        static <T> Attempt<T> done(T result) {
            return new Attempt<>(result, false, false, result, null, false, false, null);
        }

        static <T> Attempt<T> stoppedByTombstone() {
            return new Attempt<>(null, true, false, null, null, false, false, null);
        }

        static <T> Attempt<T> nothingToDo() {
            return new Attempt<>(null, false, true, null, null, false, false, null);
        }

        /** The PUT failed; {@code mayHaveLanded}: it may still have applied (timeout, dropped, 5xx). */
        static <T> Attempt<T> failed(T planned, StepFailure failure, boolean mayHaveLanded, boolean transientFailure,
                Throwable cause) {
            return new Attempt<>(null, false, false, planned, failure, mayHaveLanded, transientFailure, cause);
        }
    }
}

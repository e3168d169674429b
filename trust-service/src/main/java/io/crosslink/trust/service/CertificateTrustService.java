package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.trust.client.TrustClient;
import io.crosslink.trust.domain.CaCertificates;
import io.crosslink.trust.domain.Certificates;
import io.crosslink.trust.domain.DeploymentState;
import io.crosslink.trust.domain.TrustSettingsEditor;
import io.crosslink.trust.domain.TrustTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * The certificate-model trust step: on ConnectionRequested with {@code tls_certificate}, L comes to trust R and R
 * to trust L through their trust settings (Cloud API), then the step waits until neither reports a pending plan and
 * emits TrustUpdated(edits), or TrustUpdateFailed with Elastic's reason. Same ECE installation or Elastic Cloud
 * organization: an {@code accounts} entry for it; across environments: a {@code direct} entry with the peer's CA.
 * Each edit is recorded before its PUT ({@link TrustLedger#recordEdit}) so a rerun reuses it and the undo
 * ({@link CertificateUndoService}) removes exactly it. After CompensationStarted nothing more is written.
 *
 * <p>The consumer only records ({@link #handle}: the request and a {@value #KIND} work item on L and R). The work
 * item ({@link #run}) writes both sides; a transient failure parks it and it runs again (reusing the recorded edits),
 * up to the configured attempts. Then it looks at both deployments' plans once; while one is pending it writes a
 * checkpoint ({@link PlanWait}: the deadline and the edits) and parks for the poll interval, each run looking again,
 * until neither is (TrustUpdated) or the deadline passed (TrustUpdateFailed {@code plan_timeout}). It never sleeps.
 */
@ApplicationScoped
public class CertificateTrustService implements WorkHandler {
    /** The work item that makes L and R trust each other and waits for their plans; its deployments are L and R. */
    public static final String KIND = "update-trust";
    private static final Logger LOG = Logger.getLogger(CertificateTrustService.class);

    private final TrustLedger ledger;
    private final TrustClient client;
    private final TrustWriter writer;
    private final PlanWaiter plans;
    private final TrustStepSettings settings;
    private final CloudApiRetry retry;

    public CertificateTrustService(TrustLedger ledger, TrustClient client, TrustWriter writer, PlanWaiter plans,
            TrustStepSettings settings, CloudApiRetry retry) {
        this.ledger = ledger;
        this.client = client;
        this.writer = writer;
        this.plans = plans;
        this.settings = settings;
        this.retry = retry;
    }

    /** The checkpoint of a plan wait: until when, and the edits the writes made (for TrustUpdated). */
    public record PlanWait(Instant deadline, List<TrustEdit> edits) {
        public PlanWait {
            edits = edits.stream().map(TrustSettingsEditor::normalized).toList();
        }
    }

    /**
     * The consumer's part of a certificate-model ConnectionRequested: records it and queues the step; no Cloud API
     * call. What throws is the database, tried again briefly.
     */
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public void handle(ConnectionRequested requested) {
        ledger.accept(requested);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public WorkResult run(Work work) {
        Optional<PlanWait> waiting = work.checkpoint().map(json -> EventCodec.read(json, PlanWait.class));
        Optional<PendingTrust> due = ledger.resume(work.connectionId(), waiting.isEmpty());
        if (due.isEmpty()) {
            return WorkResult.done();
        }
        PendingTrust step = due.get();
        if (waiting.isPresent()) {
            return lookAtPlans(step, waiting.get());
        }
        StepFailure failure;
        try {
            Optional<List<TrustEdit>> edits = trustBothWays(step);
            if (edits.isEmpty()) {
                ledger.abandoned(step.connectionId());
                return WorkResult.done();
            }
            return lookAtPlans(step, new PlanWait(PlanWaiter.deadline(settings), edits.get()));
        } catch (RetryLater e) {
            return tryAgain(work, step, e.failure(), e.retryAfter());
        } catch (TransientElasticCallException e) {
            return tryAgain(work, step, e.failure(), e.retryAfter());
        } catch (TrustStepException e) {
            failure = e.failure();
        } catch (ElasticCallException e) {
            failure = e.failure();
        }
        return failed(step, failure);
    }

    /**
     * One look at both deployments' plans: TrustUpdated when neither is pending, TrustUpdateFailed once the deadline
     * passed, else a park until the next look (a read that fails in a way that may pass is looked at again, too).
     */
    private WorkResult lookAtPlans(PendingTrust step, PlanWait wait) {
        boolean late = !settings.clock().instant().isBefore(wait.deadline());
        PlanWaiter.Look look;
        try {
            look = plans.look(List.of(step.local(), step.remote()));
        } catch (TransientElasticCallException e) {
            return late ? failed(step, e.failure()) : parkForPlans(wait, e.retryAfter(), e.failure().type());
        } catch (ElasticCallException e) {
            return failed(step, e.failure());
        }
        if (look.settled()) {
            ledger.updated(step.connectionId(), wait.edits(), directUids(step, wait.edits(), look.states()));
            LOG.infof("connection %s: %s and %s trust each other, no plan pending", step.connectionId(),
                    step.local().deploymentId(), step.remote().deploymentId());
            return WorkResult.done();
        }
        if (late) {
            LOG.warnf("deployments %s still report a pending plan after %s", look.pending(), settings.planTimeout());
            return failed(step, PlanWaiter.timedOut(look.pending(), settings));
        }
        return parkForPlans(wait, Optional.empty(), "plan pending on " + look.pending());
    }

    private WorkResult parkForPlans(PlanWait wait, Optional<Duration> retryAfter, String reason) {
        Duration delay = retryAfter.filter(after -> after.compareTo(settings.planPollInterval()) > 0)
                .orElse(settings.planPollInterval());
        return WorkResult.park(delay, EventCodec.encode(wait), reason);
    }

    private WorkResult tryAgain(Work work, PendingTrust step, StepFailure failure, Optional<Duration> retryAfter) {
        Optional<Duration> delay = retry.nextDelay(work, retryAfter);
        if (delay.isEmpty()) {
            return failed(step, failure);
        }
        LOG.infof("connection %s: trust update: %s: %s (run %d of %d); again in %d ms", step.connectionId(),
                failure.type(), failure.reason(), work.attempts() + 1, retry.attempts(), delay.get().toMillis());
        return WorkResult.park(delay.get(), failure.type() + ": " + failure.reason());
    }

    private WorkResult failed(PendingTrust step, StepFailure failure) {
        LOG.warnf("connection %s: trust update failed: %s: %s", step.connectionId(), failure.type(), failure.reason());
        ledger.failed(step.connectionId(), failure);
        return WorkResult.done();
    }


    /** L trusts R, then R trusts L; empty when compensation stopped it. */
    private Optional<List<TrustEdit>> trustBothWays(PendingTrust step) {
        DeploymentInfo local = step.local();
        DeploymentInfo remote = step.remote();
        requireFacts(local);
        requireFacts(remote);
        DeploymentState localState = client.readDeployment(TrustWriter.resource(local));
        DeploymentState remoteState = client.readDeployment(TrustWriter.resource(remote));
        boolean sameAccount = local.sameAccountAs(remote);
        // A direct entry carries the peer's CA; an accounts entry needs none (the platform knows the account's CAs).
        List<String> localCa = sameAccount ? List.of() : certificates(local);
        List<String> remoteCa = sameAccount ? List.of() : certificates(remote);
        List<TrustEdit> edits = new ArrayList<>();
        Optional<TrustEdit> localTrustsRemote = writer.trust(step.connectionId(), local,
                TrustTarget.of(local, remote, step.trustAll(), remoteState.name(), remoteCa),
                step.recordedFor(local), localState);
        if (localTrustsRemote.isEmpty()) {
            return Optional.empty();
        }
        edits.add(localTrustsRemote.get());
        Optional<TrustEdit> remoteTrustsLocal = writer.trust(step.connectionId(), remote,
                TrustTarget.of(remote, local, step.trustAll(), localState.name(), localCa),
                step.recordedFor(remote), remoteState);
        if (remoteTrustsLocal.isEmpty()) {
            return Optional.empty();
        }
        edits.add(remoteTrustsLocal.get());
        return Optional.of(edits);
    }

    private List<String> certificates(DeploymentInfo deployment) {
        CaCertificates ca = client.readCertificateAuthority(TrustWriter.resource(deployment));
        if (ca.pems().isEmpty()) {
            throw new TrustStepException(new StepFailure("certificate_authority_unavailable",
                    "the Cloud API shows no CA certificate for deployment [" + deployment.deploymentId() + "]", null,
                    false));
        }
        for (String pem : ca.pems()) {
            if (Certificates.fingerprint(pem).isEmpty()) {
                throw new TrustStepException(new StepFailure("certificate_unreadable", "a CA certificate of deployment ["
                        + deployment.deploymentId() + "] is not a PEM X.509 certificate", null, false));
            }
        }
        LOG.debugf("CA of %s: %d certificate(s), recommended trust restriction %s", deployment.deploymentId(),
                ca.pems().size(), ca.recommendedTrustRestriction());
        return ca.pems();
    }

    /** The facts the trust entries are made of; connect-service supplies them for certificate-model requests. */
    private static void requireFacts(DeploymentInfo deployment) {
        if (deployment.kind() == null || deployment.accountId() == null || deployment.clusterId() == null) {
            throw new TrustStepException(new StepFailure("trust_data_unavailable", "deployment ["
                    + deployment.deploymentId() + "] comes without kind, account id or cluster id", null, false));
        }
    }

    /** The uids the Cloud API gave the direct entries the step created, from the last reads. */
    private static Map<String, String> directUids(PendingTrust step, List<TrustEdit> edits,
            Map<String, DeploymentState> settled) {
        Map<String, String> uids = new HashMap<>();
        for (TrustEdit edit : edits) {
            DeploymentState state = settled.get(edit.deploymentId());
            DeploymentInfo peer = edit.deploymentId().equals(step.local().deploymentId()) ? step.remote()
                    : step.local();
            if (edit.created() && state != null && state.trust().isPresent()) {
                TrustSettingsEditor.directUid(state.trust().get(), edit, peer.kind())
                        .ifPresent(uid -> uids.put(edit.deploymentId(), uid));
            }
        }
        return uids;
    }
}

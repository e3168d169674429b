package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.trust.client.CloudApiException;
import io.crosslink.trust.client.TrustClient;
import io.crosslink.trust.domain.CaCertificates;
import io.crosslink.trust.domain.Certificates;
import io.crosslink.trust.domain.DeploymentState;
import io.crosslink.trust.domain.TrustSettingsEditor;
import io.crosslink.trust.domain.TrustTarget;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The certificate-model trust step: on ConnectionRequested with {@code tls_certificate}, L comes to trust R and R
 * to trust L through their trust settings (Cloud API), then the step waits until neither reports a pending plan and
 * emits TrustUpdated(edits), or TrustUpdateFailed with Elastic's reason. Same ECE installation or Elastic Cloud
 * organization: an {@code accounts} entry for it; across environments: a {@code direct} entry with the peer's CA.
 * Each edit is recorded before its PUT ({@link TrustLedger#recordEdit}) so a replay reuses it and the undo
 * ({@link CertificateUndoService}) removes exactly it. After CompensationStarted nothing more is written.
 */
@ApplicationScoped
public class CertificateTrustService {
    private static final Logger LOG = Logger.getLogger(CertificateTrustService.class);

    private final TrustLedger ledger;
    private final TrustClient client;
    private final TrustWriter writer;
    private final PlanWaiter plans;

    public CertificateTrustService(TrustLedger ledger, TrustClient client, TrustWriter writer, PlanWaiter plans) {
        this.ledger = ledger;
        this.client = client;
        this.writer = writer;
        this.plans = plans;
    }

    /**
     * Handles a certificate-model ConnectionRequested. Elastic's answers become events; what throws is
     * infrastructure (the database), retried here as a whole, which is safe as the recorded edits make a rerun
     * repeat, not redo, what was written.
     */
    @Retry(maxRetries = 4, delay = 1000, jitter = 500)
    @ExponentialBackoff(maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void handle(ConnectionRequested requested) {
        Optional<PendingTrust> due = ledger.accept(requested);
        if (due.isEmpty()) {
            return;
        }
        PendingTrust step = due.get();
        StepFailure failure;
        try {
            Optional<List<TrustEdit>> edits = trustBothWays(step);
            if (edits.isEmpty()) {
                ledger.abandoned(requested);
                return;
            }
            Map<String, DeploymentState> settled = plans.awaitNoPendingPlan(List.of(step.local(), step.remote()));
            ledger.updated(requested, edits.get(), directUids(step, edits.get(), settled));
            LOG.infof("connection %s: %s and %s trust each other, no plan pending", step.connectionId(),
                    step.local().deploymentId(), step.remote().deploymentId());
            return;
        } catch (TrustStepException e) {
            failure = e.failure();
        } catch (CloudApiException e) {
            failure = e.failure();
        } catch (TimeoutException e) {
            failure = new StepFailure("timeout", "the Cloud API did not answer in time", null, true);
        }
        LOG.warnf("connection %s: trust update failed: %s: %s", step.connectionId(), failure.type(), failure.reason());
        ledger.failed(requested, failure);
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

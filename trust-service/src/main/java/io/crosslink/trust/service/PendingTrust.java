package io.crosslink.trust.service;

import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.TrustEdit;
import io.crosslink.trust.domain.TrustEditRecord;
import io.crosslink.trust.domain.TrustLink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A certificate-model trust step that is due: both deployments, whether each trusts the peer's whole account, and
 * the edits already recorded by an earlier run of the step (by deployment id), which may have landed.
 */
public record PendingTrust(String connectionId, DeploymentInfo local, DeploymentInfo remote, boolean trustAll,
        Map<String, TrustEdit> recorded) {

    public PendingTrust {
        recorded = Map.copyOf(recorded);
    }

    static PendingTrust of(TrustLink link, List<TrustEditRecord> edits) {
        Map<String, TrustEdit> recorded = new HashMap<>();
        edits.forEach(record -> recorded.put(record.deploymentId, record.edit()));
        return new PendingTrust(link.connectionId, link.local(), link.remote(), link.trustsAll(), recorded);
    }

    public Optional<TrustEdit> recordedFor(DeploymentInfo deployment) {
        return Optional.ofNullable(recorded.get(deployment.deploymentId()));
    }
}

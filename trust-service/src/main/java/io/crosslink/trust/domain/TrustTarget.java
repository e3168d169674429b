package io.crosslink.trust.domain;

import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.TrustEdit;
import java.util.List;

/**
 * What one deployment must trust for a certificate-model connection: its peer, by cluster id, inside the peer's
 * ECE installation or Elastic Cloud organization. Same account: an {@code accounts} entry for it; across
 * environments: a {@code direct} entry of the peer's kind, scoped to the peer's account, with the peer's CA
 * certificates ({@code peerCertificates}, PEM; unused for {@code accounts}).
 */
public record TrustTarget(
        String deploymentId,
        String peerDeploymentId,
        String peerClusterId,
        String peerKind,
        String peerAccountId,
        String peerName,
        boolean sameAccount,
        boolean trustAll,
        List<String> peerCertificates) {

    public TrustTarget {
        peerCertificates = peerCertificates == null ? List.of() : List.copyOf(peerCertificates);
    }

    /** {@code self} trusts {@code peer}; {@code peerName} and {@code peerCertificates} as read from the Cloud API. */
    public static TrustTarget of(DeploymentInfo self, DeploymentInfo peer, boolean trustAll, String peerName,
            List<String> peerCertificates) {
        return new TrustTarget(self.deploymentId(), peer.deploymentId(), peer.clusterId(), peer.kind(),
                peer.accountId(), peerName, self.sameAccountAs(peer), trustAll, peerCertificates);
    }

    /** {@code accounts} or {@code direct}. */
    public String entry() {
        return sameAccount ? TrustEdit.ACCOUNTS : TrustEdit.DIRECT;
    }

    /** The entry's {@code account_id} ({@code accounts}) or {@code scope_id} ({@code direct}). */
    public String scopeId() {
        return peerAccountId;
    }

    /** The name of a {@code direct} entry this service creates. */
    public String directName() {
        return "crosslink " + (peerName == null || peerName.isBlank() ? peerDeploymentId : peerName);
    }

    public TrustTarget withPeerCertificates(List<String> pems) {
        return new TrustTarget(deploymentId, peerDeploymentId, peerClusterId, peerKind, peerAccountId, peerName,
                sameAccount, trustAll, pems);
    }
}

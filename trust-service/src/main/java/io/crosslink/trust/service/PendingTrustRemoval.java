package io.crosslink.trust.service;

import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.TrustEdit;
import io.crosslink.trust.domain.TrustEditRecord;
import io.crosslink.trust.domain.TrustEditState;
import io.crosslink.trust.domain.TrustLink;
import io.crosslink.trust.domain.TrustShare;
import java.util.Comparator;
import java.util.List;

/**
 * The undo of a certificate-model trust step: the edits it recorded that changed something (planned ones too: their
 * PUT may have landed), in the order local, remote.
 */
public record PendingTrustRemoval(String connectionId, DeploymentInfo local, DeploymentInfo remote,
        List<Owned> edits) {

    /**
     * One recorded edit: what to remove with the connection's stake in the entry (its peer, {@code trust_all}), the
     * direct entry's uid when known, and whether it was applied before.
     */
    public record Owned(TrustShare share, String directUid, TrustEditState state) {
        public TrustEdit edit() {
            return share.edit();
        }
    }

    public PendingTrustRemoval {
        edits = List.copyOf(edits);
    }

    static PendingTrustRemoval of(TrustLink link, List<TrustEditRecord> records) {
        DeploymentInfo local = link.local();
        List<Owned> owned = records.stream()
                .map(record -> new Owned(record.share(link.trustsAll()), record.directUid, record.state))
                .filter(item -> !item.edit().noop())
                .sorted(Comparator.comparing(item -> item.edit().deploymentId().equals(local.deploymentId()) ? 0 : 1))
                .toList();
        return new PendingTrustRemoval(link.connectionId, local, link.remote(), owned);
    }

    /** The deployment whose trust an edit changed. */
    public DeploymentInfo deployment(TrustEdit edit) {
        return edit.deploymentId().equals(local.deploymentId()) ? local : remote;
    }

    /** The deployment an edit made the other one trust. */
    public DeploymentInfo peer(TrustEdit edit) {
        return edit.deploymentId().equals(local.deploymentId()) ? remote : local;
    }

    public List<TrustEdit> trustEdits() {
        return edits.stream().map(Owned::edit).toList();
    }
}

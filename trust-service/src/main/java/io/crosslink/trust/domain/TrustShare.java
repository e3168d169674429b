package io.crosslink.trust.domain;

import io.crosslink.events.TrustEdit;
import java.util.Set;

/**
 * One connection's stake in a deployment's trust entry, for an undo that must not pull trust from under another
 * live connection: its recorded edit of the entry (possibly a noop: it found the entry trusting its peer already),
 * the peer it needs trusted (cluster id and CA fingerprints) and whether it asked to trust the peer's whole account.
 */
public record TrustShare(String connectionId, TrustEdit edit, String peerClusterId, Set<String> peerFingerprints,
        boolean trustAll) {

    public TrustShare {
        edit = TrustSettingsEditor.normalized(edit);
        peerFingerprints = peerFingerprints == null ? Set.of() : Set.copyOf(peerFingerprints);
    }

    /** Whether this stake is in the entry {@code edit} is about (same deployment, entry kind and account). */
    public boolean sameEntryAs(TrustEdit other) {
        return edit.deploymentId().equals(other.deploymentId()) && edit.entry().equals(other.entry())
                && edit.scopeId().equals(other.scopeId());
    }
}

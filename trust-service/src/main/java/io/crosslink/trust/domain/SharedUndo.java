package io.crosslink.trust.domain;

import io.crosslink.events.TrustEdit;
import java.util.Map;

/**
 * An undo that shares its entry with other live connections: the trust to write ({@code plan}) and what those
 * connections own from now on ({@code handedOver}: their new edit, by connection id), namely the parts of this
 * connection's edit they still need, the entry itself if this connection had created it, and cluster ids added
 * for them when {@code trust_all} had to be reset.
 */
public record SharedUndo(TrustPlan plan, Map<String, TrustEdit> handedOver) {

    public SharedUndo {
        handedOver = Map.copyOf(handedOver);
    }
}

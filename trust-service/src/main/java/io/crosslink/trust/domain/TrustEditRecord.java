package io.crosslink.trust.domain;

import io.crosslink.events.EventCodec;
import io.crosslink.events.TrustEdit;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the trust step of one connection changed (or is about to change) in one deployment's trust settings,
 * committed before the PUT that makes the change: a replay reuses it instead of recomputing (a crash after the PUT
 * would otherwise look like "already trusted"), and the undo removes exactly this.
 */
@Entity
@Table(name = "trust_edit", indexes = @Index(name = "trust_edit_deployment", columnList = "deployment_id"))
@IdClass(TrustEditRecord.Key.class)
public class TrustEditRecord extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    /** The deployment whose trust settings this edits. */
    @Id
    @Column(name = "deployment_id", length = 100)
    public String deploymentId;

    @Column(name = "peer_deployment_id", length = 100, nullable = false)
    public String peerDeploymentId;

    /** The {@link TrustEdit}, as JSON. */
    @Column(name = "edit_json", columnDefinition = "text", nullable = false)
    public String edit;

    /** The cluster id of the peer this edit makes the deployment trust. */
    @Column(name = "peer_cluster_id", length = 100)
    public String peerClusterId;

    /** SHA-256 fingerprints of the peer's CA certificates (comma-separated; none for {@code accounts} entries). */
    @Column(name = "peer_certificates", length = 2000)
    public String peerCertificates;

    /** The {@code uid} the Cloud API gave a {@code direct} entry the step created, once seen. */
    @Column(name = "direct_uid", length = 200)
    public String directUid;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public TrustEditState state;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static TrustEditRecord of(String connectionId, TrustEdit edit) {
        TrustEditRecord record = new TrustEditRecord();
        record.connectionId = connectionId;
        record.deploymentId = edit.deploymentId();
        record.take(edit);
        return record;
    }

    /** The peer the edit is for: what this connection needs the entry to keep while it lives. */
    public void peer(String clusterId, Set<String> certificateFingerprints) {
        peerClusterId = clusterId;
        peerCertificates = String.join(",", new TreeSet<>(certificateFingerprints));
    }

    public Set<String> peerFingerprints() {
        return peerCertificates == null || peerCertificates.isBlank() ? Set.of()
                : Set.of(peerCertificates.split(","));
    }

    /** This connection's stake in the entry, for another connection's undo. */
    public TrustShare share(boolean trustAll) {
        return new TrustShare(connectionId, edit(), peerClusterId, peerFingerprints(), trustAll);
    }

    public TrustEdit edit() {
        return TrustSettingsEditor.normalized(EventCodec.read(edit, TrustEdit.class));
    }

    /** A (re)planned edit, recorded before its PUT. */
    public void take(TrustEdit planned) {
        peerDeploymentId = planned.peerDeploymentId();
        edit = EventCodec.encode(planned);
        state = TrustEditState.PLANNED;
        updatedAt = Instant.now();
    }

    /** Takes over parts of another connection's edit (an undo handed them over); where it stands is unchanged. */
    public void handOver(TrustEdit extended, String uid) {
        edit = EventCodec.encode(extended);
        if (directUid == null) {
            directUid = uid;
        }
        updatedAt = Instant.now();
    }

    public void markApplied(String uid) {
        state = TrustEditState.APPLIED;
        if (uid != null) {
            directUid = uid;
        }
        updatedAt = Instant.now();
    }

    public void markRemoved() {
        state = TrustEditState.REMOVED;
        updatedAt = Instant.now();
    }

    /** The composite key: connection id and deployment id. */
    public static class Key implements Serializable {
        public String connectionId;
        public String deploymentId;

        public Key() {
        }

        public Key(String connectionId, String deploymentId) {
            this.connectionId = connectionId;
            this.deploymentId = deploymentId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(connectionId, key.connectionId)
                    && Objects.equals(deploymentId, key.deploymentId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(connectionId, deploymentId);
        }
    }
}

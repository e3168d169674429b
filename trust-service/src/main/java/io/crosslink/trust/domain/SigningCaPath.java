package io.crosslink.trust.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A CA path in R's {@code cluster.remote.signing.certificate_authorities} as Crosslink knows it: whether Crosslink
 * added it (or may have: set before the PUT that adds it). A path that was listed before Crosslink added it is never
 * removed by Crosslink; one it added is removed with its last reference.
 */
@Entity
@Table(name = "signing_ca_path")
@IdClass(SigningCaPath.Key.class)
public class SigningCaPath extends PanacheEntityBase {
    @Id
    @Column(name = "deployment_id", length = 100)
    public String deploymentId;

    @Id
    @Column(name = "ca_path", length = 500)
    public String caPath;

    @Column(name = "added_by_crosslink", nullable = false)
    public boolean addedByCrosslink;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static SigningCaPath of(String deploymentId, String caPath) {
        SigningCaPath path = new SigningCaPath();
        path.deploymentId = deploymentId;
        path.caPath = caPath;
        path.updatedAt = Instant.now();
        return path;
    }

    public void markAdded(boolean added) {
        addedByCrosslink = added;
        updatedAt = Instant.now();
    }

    /** The composite key (R, path). */
    public static class Key implements Serializable {
        public String deploymentId;
        public String caPath;

        public Key() {
        }

        public Key(String deploymentId, String caPath) {
            this.deploymentId = deploymentId;
            this.caPath = caPath;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(deploymentId, key.deploymentId)
                    && Objects.equals(caPath, key.caPath);
        }

        @Override
        public int hashCode() {
            return Objects.hash(deploymentId, caPath);
        }
    }
}

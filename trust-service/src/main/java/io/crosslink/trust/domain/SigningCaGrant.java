package io.crosslink.trust.domain;

import io.crosslink.events.StepFailure;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Strong identity: one connection's reference to L's signing CA ({@code caPath}) in R's persistent
 * {@code cluster.remote.signing.certificate_authorities}. The list is shared by every connection to R, so the path
 * stays listed while any reference holds it ({@link GrantStatus#holds()}). Crosslink writes the list whole from
 * these rows (Elasticsearch does not let it be read).
 */
@Entity
@Table(name = "signing_ca_grant")
public class SigningCaGrant extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    /** R's environment (the work items declare R as {@code <environment>/<deploymentId>}). */
    @Column(nullable = false, length = 100)
    public String environment;

    /** R's deployment id. */
    @Column(name = "deployment_id", nullable = false, length = 100)
    public String deploymentId;

    @Column(name = "ca_path", nullable = false, length = 500)
    public String caPath;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public GrantStatus status;

    @Column(name = "failure_type", length = 200)
    public String failureType;

    /** Redacted, as in the KeystoreUpdateFailed event. */
    @Column(name = "failure_reason", length = 1100)
    public String failureReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static SigningCaGrant wanted(String connectionId, String environment, String deploymentId,
            String caPath) {
        SigningCaGrant grant = new SigningCaGrant();
        grant.connectionId = connectionId;
        grant.environment = environment;
        grant.deploymentId = deploymentId;
        grant.caPath = caPath;
        grant.status = GrantStatus.WANTED;
        grant.createdAt = Instant.now();
        grant.updatedAt = grant.createdAt;
        return grant;
    }

    public boolean granted() {
        return status == GrantStatus.GRANTED;
    }

    public boolean failed() {
        return status == GrantStatus.FAILED;
    }

    public void markGranted() {
        status = GrantStatus.GRANTED;
        touch();
    }

    public void markFailed(StepFailure failure) {
        status = GrantStatus.FAILED;
        failureType = failure.type();
        failureReason = failure.reason();
        touch();
    }

    public void markAbandoned() {
        status = GrantStatus.ABANDONED;
        touch();
    }

    public void markReleased() {
        status = GrantStatus.RELEASED;
        touch();
    }

    private void touch() {
        updatedAt = Instant.now();
    }
}

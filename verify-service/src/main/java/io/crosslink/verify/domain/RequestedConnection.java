package io.crosslink.verify.domain;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * What verify-service keeps from ConnectionRequested until the remote is registered: where L is and which
 * probe fits the request (its security model and granted access). No secret is involved.
 */
@Entity
@Table(name = "requested_connection")
public class RequestedConnection extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    @Column(nullable = false, length = 128)
    public String alias;

    @Column(name = "local_environment", nullable = false, length = 128)
    public String localEnvironment;

    @Column(name = "local_deployment_id", nullable = false, length = 128)
    public String localDeploymentId;

    @Column(name = "local_ref_id", length = 128)
    public String localRefId;

    /** L's Elasticsearch version (Cloud API); null for connections recorded before it was kept. */
    @Column(name = "local_version", length = 64)
    public String localVersion;

    /** The index pattern the probe searches; null for replication-only access (handshake probe). */
    @Column(name = "probe_pattern", length = 512)
    public String probePattern;

    /**
     * The certificate model (TLS trust, no key), proven by {@link ProbePlan.CertificateProbe}; null in rows written
     * before the column existed reads as false.
     */
    @Column(name = "certificate_model")
    public Boolean certificateModel;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    /** The tombstone: when CompensationStarted was seen; no verification starts afterwards. */
    @Column(name = "compensation_started_at")
    public Instant compensationStartedAt;

    public static RequestedConnection from(ConnectionRequested event, Instant now) {
        RequestedConnection connection = new RequestedConnection();
        connection.connectionId = event.connectionId();
        connection.alias = event.request().alias();
        connection.localEnvironment = event.local().environment();
        connection.localDeploymentId = event.local().deploymentId();
        connection.localRefId = event.local().refId();
        connection.localVersion = event.local().version();
        connection.probePattern = ProbePlan.forRequest(event.request()).pattern();
        connection.certificateModel = event.request().certificateModel();
        connection.requestedAt = now;
        return connection;
    }

    public boolean isCompensating() {
        return compensationStartedAt != null;
    }

    public boolean isCertificateModel() {
        return Boolean.TRUE.equals(certificateModel);
    }

    public ProbePlan probePlan() {
        return ProbePlan.of(isCertificateModel(), probePattern);
    }
}

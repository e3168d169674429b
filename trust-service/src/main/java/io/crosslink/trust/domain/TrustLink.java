package io.crosslink.trust.domain;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
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
 * The certificate-model trust of one connection: both deployments as connect-service described them (from
 * ConnectionRequested), whether each side trusts the peer's whole account, and where the step and its undo stand.
 * What was changed in each deployment's trust is in {@link TrustEditRecord} rows, recorded before each write.
 *
 * <p>A row without a request is a tombstone only (compensation began, {@link #compensatingSince}): a request that
 * comes afterwards is taken (so the undo knows the connection is of the certificate model) but never run.
 */
@Entity
@Table(name = "trust_link")
public class TrustLink extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public TrustStatus status;

    @Column(name = "trust_all")
    public Boolean trustAll;

    @Column(name = "local_deployment_id", length = 100)
    public String localDeploymentId;

    @Column(name = "remote_deployment_id", length = 100)
    public String remoteDeploymentId;

    /** L's DeploymentInfo (JSON): environment, ref id, cluster id, kind, account. */
    @Column(name = "local_deployment", columnDefinition = "text")
    public String localDeployment;

    /** R's DeploymentInfo (JSON). */
    @Column(name = "remote_deployment", columnDefinition = "text")
    public String remoteDeployment;

    @Column(name = "failure_type", length = 200)
    public String failureType;

    /** Redacted, as in the TrustUpdateFailed event. */
    @Column(name = "failure_reason", length = 1100)
    public String failureReason;

    /** The tombstone: when this service learned that the connection is being compensated; null before. */
    @Column(name = "compensating_since")
    public Instant compensatingSince;

    @Enumerated(EnumType.STRING)
    @Column(name = "undo_status", length = 20)
    public UndoStatus undoStatus;

    @Column(name = "removed_at")
    public Instant removedAt;

    @Column(name = "removal_failure_type", length = 200)
    public String removalFailureType;

    /**
     * The undo trigger (event id of RemoteRemoved / RemoteRemovalFailed) whose outcome was announced last: an undo run
     * again after its commit does not announce twice.
     */
    @Column(name = "undo_reported_for", length = 64)
    public String undoReportedFor;

    /** Redacted, as in the TrustRemovalFailed event. */
    @Column(name = "removal_failure_reason", length = 1100)
    public String removalFailureReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean hasRequest() {
        return localDeployment != null && remoteDeployment != null;
    }

    public void takeRequest(ConnectionRequested requested) {
        localDeploymentId = requested.local().deploymentId();
        remoteDeploymentId = requested.remote().deploymentId();
        localDeployment = EventCodec.encode(requested.local());
        remoteDeployment = EventCodec.encode(requested.remote());
        trustAll = requested.request().trustAll();
        touch();
    }

    public DeploymentInfo local() {
        return EventCodec.read(localDeployment, DeploymentInfo.class);
    }

    public DeploymentInfo remote() {
        return EventCodec.read(remoteDeployment, DeploymentInfo.class);
    }

    public boolean trustsAll() {
        return Boolean.TRUE.equals(trustAll);
    }

    /** The step is neither finished nor given up: a (redelivered) request runs it, reusing recorded edits. */
    public boolean stepDue() {
        return hasRequest() && !compensating() && (status == TrustStatus.WAITING || status == TrustStatus.UPDATING);
    }

    /**
     * The connection relies on its trust: its step ran or runs, and no compensation began. Another connection's undo
     * leaves what it needs in place and hands it over.
     */
    public boolean live() {
        return hasRequest() && !compensating() && (status == TrustStatus.UPDATING || status == TrustStatus.UPDATED);
    }

    public void markUpdating() {
        status = TrustStatus.UPDATING;
        touch();
    }

    public void markUpdated() {
        status = TrustStatus.UPDATED;
        failureType = null;
        failureReason = null;
        touch();
    }

    public void markFailed(StepFailure failure) {
        status = TrustStatus.FAILED;
        failureType = failure.type();
        failureReason = failure.reason();
        touch();
    }

    /** Compensation began before the step (or its next write): it does not run (further). */
    public void markAbandoned() {
        if (status == TrustStatus.WAITING || status == TrustStatus.UPDATING) {
            status = TrustStatus.ABANDONED;
        }
        touch();
    }

    // --- undo

    public boolean compensating() {
        return compensatingSince != null;
    }

    /** Records the tombstone (the first time; a repeated compensation keeps the first date). */
    public void startCompensation(Instant at) {
        if (compensatingSince == null) {
            compensatingSince = at;
        }
        touch();
    }

    /** Whether the undo's outcome for {@code trigger} was announced already. */
    public boolean undoReported(String trigger) {
        return trigger.equals(undoReportedFor);
    }

    /** The undo finished (removed, or failed): a step completing late must not announce itself after it. */
    public boolean undoFinished() {
        return undoStatus == UndoStatus.REMOVED || undoStatus == UndoStatus.REMOVAL_FAILED;
    }

    public void markRemoving() {
        undoStatus = UndoStatus.REMOVING;
        touch();
    }

    /** What the step added is gone; {@code trigger}: the undo trigger this answers. */
    public void markRemoved(String trigger) {
        undoStatus = UndoStatus.REMOVED;
        undoReportedFor = trigger;
        removedAt = Instant.now();
        removalFailureType = null;
        removalFailureReason = null;
        touch();
    }

    public void markRemovalFailed(StepFailure failure, String trigger) {
        undoStatus = UndoStatus.REMOVAL_FAILED;
        undoReportedFor = trigger;
        removalFailureType = failure.type();
        removalFailureReason = failure.reason();
        touch();
    }

    private void touch() {
        updatedAt = Instant.now();
        if (createdAt == null) {
            createdAt = updatedAt;
        }
        if (status == null) {
            status = TrustStatus.WAITING;
        }
    }
}

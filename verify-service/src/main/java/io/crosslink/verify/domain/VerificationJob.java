package io.crosslink.verify.domain;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.events.messaging.Outbox;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The durable verification of one connection, started by RemoteConnected. A worker claims it when an attempt
 * is due, runs the attempt outside any transaction and {@link #conclude concludes} it: proven → VERIFIED with
 * ConnectionVerified; not proven → the next attempt after a backoff, or FAILED with VerificationFailed once the
 * deadline has passed. Pending rows survive a restart and are simply taken up again. CompensationStarted
 * {@link #cancel cancels} a pending job: CANCELLED, without an event.
 */
@Entity
@Table(name = "verification_job")
public class VerificationJob extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    @Column(nullable = false, length = 128)
    public String alias;

    @Column(name = "deployment_id", nullable = false, length = 128)
    public String deploymentId;

    @Column(name = "probe_pattern", length = 512)
    public String probePattern;

    /** Proven as the certificate model is (see {@link ProbePlan}); null in rows from before reads as false. */
    @Column(name = "certificate_model")
    public Boolean certificateModel;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public VerificationState state;

    /** The RemoteConnected this verification answers. */
    @Column(name = "trigger_event_id", nullable = false, length = 64)
    public String triggerEventId;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(nullable = false)
    public Instant deadline;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    /** Set while a worker runs an attempt; an expired lease (crash) makes the job due again. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "last_failure_type", length = 200)
    public String lastFailureType;

    @Column(name = "last_failure_reason", columnDefinition = "text")
    public String lastFailureReason;

    @Column(name = "last_failure_status")
    public Integer lastFailureStatus;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Version
    public long version;

    public static VerificationJob start(RequestedConnection connection, RemoteConnected event, Instant now,
            RetryPolicy policy) {
        VerificationJob job = new VerificationJob();
        job.connectionId = connection.connectionId;
        job.restart(connection, event, now, policy);
        return job;
    }

    /** A new registration of a finished connection deserves a new proof: everything starts over. */
    public void restart(RequestedConnection connection, RemoteConnected event, Instant now, RetryPolicy policy) {
        // The alias as registered on L; the request's alias is the same unless the contract changes.
        alias = event.alias() != null ? event.alias() : connection.alias;
        deploymentId = connection.localDeploymentId;
        probePattern = connection.probePattern;
        certificateModel = connection.isCertificateModel();
        state = VerificationState.PENDING;
        triggerEventId = event.eventId();
        startedAt = now;
        deadline = now.plus(policy.deadline());
        attempts = 0;
        nextAttemptAt = now;
        leaseUntil = null;
        lastFailureType = null;
        lastFailureReason = null;
        lastFailureStatus = null;
        finishedAt = null;
    }

    /** Compensation started: no more attempts, and no event (an attempt in flight concludes to nothing). */
    public void cancel(Instant now) {
        state = VerificationState.CANCELLED;
        leaseUntil = null;
        finishedAt = now;
    }

    public boolean isPending() {
        return state == VerificationState.PENDING;
    }

    public boolean isDue(Instant now) {
        return isPending() && !nextAttemptAt.isAfter(now) && (leaseUntil == null || !leaseUntil.isAfter(now));
    }

    /** Reserves the next attempt for the caller. */
    public ProbeTarget claim(Instant now, Duration lease) {
        leaseUntil = now.plus(lease);
        ProbePlan plan = ProbePlan.of(Boolean.TRUE.equals(certificateModel), probePattern);
        return new ProbeTarget(connectionId, deploymentId, alias, plan);
    }

    /**
     * Records an attempt. Returns the event that ends the verification, or empty while it goes on. The last
     * attempt may run after the deadline (a restart, a slow answer): it still counts, and only then it fails.
     */
    public Optional<ConnectionEvent> conclude(AttemptResult result, Instant now, RetryPolicy policy) {
        attempts++;
        leaseUntil = null;
        if (result instanceof AttemptResult.Proven proven) {
            state = VerificationState.VERIFIED;
            finishedAt = now;
            return Optional.of(new ConnectionVerified(Outbox.newEventId(), connectionId, now, proven.probe(),
                    proven.probeHits(), proven.connectedSockets(), attempts));
        }
        AttemptResult.Unproven unproven = (AttemptResult.Unproven) result;
        StepFailure cause = unproven.cause();
        lastFailureType = cause.type();
        lastFailureReason = cause.reason();
        lastFailureStatus = cause.httpStatus();
        if (!unproven.hopeless() && now.isBefore(deadline)) {
            nextAttemptAt = policy.nextAttempt(now, attempts, deadline);
            return Optional.empty();
        }
        state = VerificationState.FAILED;
        finishedAt = now;
        String why = unproven.hopeless() ? "" : " (not proven within " + seconds(policy.deadline()) + " s, "
                + attempts + (attempts == 1 ? " attempt)" : " attempts)");
        return Optional.of(new VerificationFailed(Outbox.newEventId(), connectionId, now,
                new StepFailure(cause.type(), cause.reason() + why, cause.httpStatus(), cause.retryable())));
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0);
    }
}

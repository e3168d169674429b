package io.crosslink.verify.domain;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.messaging.Outbox;
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
import java.util.Locale;
import java.util.List;
import java.util.Optional;

/**
 * The record of one connection's verification, started by RemoteConnected: what it verifies, its deadline, how many
 * attempts it took, the last failure and how it ended. It holds no schedule: when the next attempt runs (and who
 * runs it) is the {@code verify-connection} work item's business. {@link #conclude} records one attempt: proven →
 * VERIFIED with ConnectionVerified; not proven → still PENDING (the next attempt is due at {@link #nextAttempt}), or
 * FAILED with VerificationFailed once the deadline has passed. CompensationStarted {@link #cancel cancels} a
 * pending verification: CANCELLED, and an attempt still in flight concludes to nothing.
 */
@Entity
@Table(name = "verification")
public class Verification extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    @Column(nullable = false, length = 128)
    public String alias;

    @Column(name = "environment", nullable = false, length = 128)
    public String environment;

    @Column(name = "deployment_id", nullable = false, length = 128)
    public String deploymentId;

    @Column(name = "probe_pattern", length = 512)
    public String probePattern;

    @Column(name = "local_version", length = 64)
    public String localVersion;

    /** Proven as the certificate model is (see {@link ProbePlan}). */
    @Column(name = "certificate_model", nullable = false)
    public boolean certificateModel;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public VerificationState state;

    /** The RemoteConnected this verification answers; its work item carries the same event. */
    @Column(name = "trigger_event_id", nullable = false, length = 64)
    public String triggerEventId;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(nullable = false)
    public Instant deadline;

    /** Attempts concluded so far. */
    @Column(nullable = false)
    public int attempts;

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

    public static Verification start(RequestedConnection connection, RemoteConnected event, Instant now,
            RetryPolicy policy) {
        Verification verification = new Verification();
        verification.connectionId = connection.connectionId;
        verification.restart(connection, event, now, policy);
        return verification;
    }

    /** A new registration of a finished connection deserves a new proof: everything starts over. */
    public void restart(RequestedConnection connection, RemoteConnected event, Instant now, RetryPolicy policy) {
        // The alias as registered on L; the request's alias is the same unless the contract changes.
        alias = event.alias() != null ? event.alias() : connection.alias;
        environment = connection.localEnvironment;
        deploymentId = connection.localDeploymentId;
        localVersion = connection.localVersion;
        probePattern = connection.probePattern;
        certificateModel = connection.isCertificateModel();
        state = VerificationState.PENDING;
        triggerEventId = event.eventId();
        startedAt = now;
        deadline = now.plus(policy.deadline());
        attempts = 0;
        lastFailureType = null;
        lastFailureReason = null;
        lastFailureStatus = null;
        finishedAt = null;
    }

    /** Compensation started: no more attempts, and no event (an attempt in flight concludes to nothing). */
    public void cancel(Instant now) {
        state = VerificationState.CANCELLED;
        finishedAt = now;
    }

    public boolean isPending() {
        return state == VerificationState.PENDING;
    }

    /** Whether an attempt for the RemoteConnected {@code triggerEventId} belongs to this verification, still going on. */
    public boolean awaits(String triggerEventId) {
        return isPending() && this.triggerEventId.equals(triggerEventId);
    }

    /** What the next attempt asks, on which deployment. */
    public ProbeTarget target() {
        return new ProbeTarget(connectionId, deploymentId, localVersion, alias, ProbePlan.of(certificateModel, probePattern));
    }

    /**
     * Records an attempt. Returns the event that ends the verification, or empty while it goes on (then the next
     * attempt is due at {@link #nextAttempt}). The last attempt may run after the deadline (a restart, a slow
     * answer): it still counts, and only then it fails. {@code warnings}: what Elastic warned about during the attempt,
     * carried by ConnectionVerified.
     */
    public Optional<ConnectionEvent> conclude(AttemptResult result, Instant now, RetryPolicy policy, List<String> warnings) {
        attempts++;
        if (result instanceof AttemptResult.Proven proven) {
            state = VerificationState.VERIFIED;
            finishedAt = now;
            return Optional.of(new ConnectionVerified(Outbox.newEventId(), connectionId, now, proven.probe(),
                    proven.probeHits(), proven.connectedSockets(), attempts, warnings));
        }
        AttemptResult.Unproven unproven = (AttemptResult.Unproven) result;
        StepFailure cause = unproven.cause();
        lastFailureType = cause.type();
        lastFailureReason = cause.reason();
        lastFailureStatus = cause.httpStatus();
        if (!unproven.hopeless() && now.isBefore(deadline)) {
            return Optional.empty();
        }
        state = VerificationState.FAILED;
        finishedAt = now;
        String why = unproven.hopeless() ? "" : " (not proven within " + seconds(policy.deadline()) + " s, "
                + attempts + (attempts == 1 ? " attempt)" : " attempts)");
        return Optional.of(new VerificationFailed(Outbox.newEventId(), connectionId, now,
                new StepFailure(cause.type(), cause.reason() + why, cause.httpStatus(), cause.retryable())));
    }

    /** When the next attempt of a pending verification is due: backoff after the attempts so far, at most the deadline. */
    public Instant nextAttempt(Instant now, RetryPolicy policy) {
        return policy.nextAttempt(now, attempts, deadline);
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}

package io.crosslink.verify.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.events.messaging.Outbox;
import io.crosslink.verify.domain.AttemptResult;
import io.crosslink.verify.domain.ProbeTarget;
import io.crosslink.verify.domain.RequestedConnection;
import io.crosslink.verify.domain.RetryPolicy;
import io.crosslink.verify.domain.VerificationJob;
import io.crosslink.verify.repository.VerificationStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The state changes of verify-service, each in ONE transaction with the inbox record and the emitted event:
 * remembering a request, starting a verification, cancelling it on compensation, claiming due attempts and
 * concluding an attempt. The Elasticsearch calls happen between {@link #claimDue} and {@link #conclude}, outside
 * any transaction ({@link VerificationWorker}).
 */
@ApplicationScoped
public class VerificationStep {
    private static final Logger LOG = Logger.getLogger(VerificationStep.class);

    private final VerificationStore store;
    private final EventLedger ledger;
    private final Clock clock;
    private final RetryPolicy policy;

    public VerificationStep(VerificationStore store, EventLedger ledger, Clock clock, RetryPolicy policy) {
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
        this.policy = policy;
    }

    /** Remembers where L is and which probe fits the access, for the verification that follows. */
    @Transactional
    public void onRequested(ConnectionRequested event) {
        if (ledger.seen(event.eventId())) {
            return;
        }
        if (store.connection(event.connectionId()).isEmpty()) {
            store.add(RequestedConnection.from(event, clock.instant()));
        }
        ledger.record(event);
    }

    /** Starts verifying: a durable job the worker picks up at once. */
    @Transactional
    public void onRemoteConnected(RemoteConnected event) {
        if (ledger.seen(event.eventId())) {
            LOG.debugf("connection %s: RemoteConnected %s seen already", event.connectionId(), event.eventId());
            return;
        }
        Instant now = clock.instant();
        Optional<RequestedConnection> connection = store.connection(event.connectionId());
        if (connection.isEmpty()) {
            // The request precedes RemoteConnected on the same partition; without it there is no way to know
            // which deployment to check. Say so instead of leaving the connection waiting forever.
            LOG.warnf("connection %s: RemoteConnected without ConnectionRequested; reporting VerificationFailed",
                    event.connectionId());
            ledger.publish(new VerificationFailed(Outbox.newEventId(), event.connectionId(), now, new StepFailure(
                    "unknown_connection", "verify-service never received ConnectionRequested for connection "
                            + event.connectionId() + ", so it cannot tell which deployment to verify remote cluster ["
                            + event.alias() + "] on", null, false)));
            ledger.record(event);
            return;
        }
        if (connection.get().isCompensating()) {
            // The tombstone: a late or repeated registration of a connection being undone proves nothing.
            LOG.infof("connection %s is being compensated: RemoteConnected recorded, no verification started",
                    event.connectionId());
            ledger.record(event);
            return;
        }
        Optional<VerificationJob> existing = store.job(event.connectionId());
        if (existing.isEmpty()) {
            store.add(VerificationJob.start(connection.get(), event, now, policy));
            LOG.infof("connection %s: verifying remote cluster [%s] on %s", event.connectionId(), event.alias(),
                    connection.get().localDeploymentId);
        } else if (!existing.get().isPending()) {
            existing.get().restart(connection.get(), event, now, policy);
            LOG.infof("connection %s: registered again, verifying remote cluster [%s] again", event.connectionId(),
                    event.alias());
        } else {
            LOG.debugf("connection %s: a verification is running already", event.connectionId());
        }
        ledger.record(event);
    }

    /**
     * Compensation (or a disconnect) started: a pending verification is cancelled and will emit nothing, and
     * none starts afterwards. A verification that has ended is left as it is.
     */
    @Transactional
    public void onCompensationStarted(CompensationStarted event) {
        if (ledger.seen(event.eventId())) {
            return;
        }
        Instant now = clock.instant();
        store.connection(event.connectionId()).filter(c -> !c.isCompensating())
                .ifPresent(connection -> connection.compensationStartedAt = now);
        store.job(event.connectionId()).filter(VerificationJob::isPending).ifPresent(job -> {
            job.cancel(now);
            LOG.infof("connection %s: compensation started (%s), verification cancelled after %d attempt(s)",
                    event.connectionId(), event.cause(), job.attempts);
        });
        ledger.record(event);
    }

    /** Reserves the attempts that are due now (at most {@code limit}). */
    @Transactional
    public List<ProbeTarget> claimDue(int limit) {
        Instant now = clock.instant();
        List<ProbeTarget> claimed = new ArrayList<>();
        for (VerificationJob job : store.lockDue(now, limit)) {
            claimed.add(job.claim(now, policy.lease()));
        }
        return claimed;
    }

    /** Records an attempt; emits ConnectionVerified or VerificationFailed when the verification ends. */
    @Transactional
    public Optional<ConnectionEvent> conclude(String connectionId, AttemptResult result) {
        Optional<VerificationJob> found = store.job(connectionId);
        if (found.isEmpty() || !found.get().isPending()) {
            // Concluded meanwhile (a lease that expired during a very slow attempt), or cancelled by compensation.
            return Optional.empty();
        }
        VerificationJob job = found.get();
        Optional<ConnectionEvent> outcome = job.conclude(result, clock.instant(), policy);
        if (outcome.isEmpty()) {
            LOG.debugf("connection %s: attempt %d not proven (%s: %s), next at %s", connectionId, job.attempts,
                    job.lastFailureType, job.lastFailureReason, job.nextAttemptAt);
        } else if (outcome.get() instanceof VerificationFailed failed) {
            LOG.warnf("connection %s: verification failed (attempts: %d): %s: %s", connectionId, job.attempts,
                    failed.failure().type(), failed.failure().reason());
        } else {
            LOG.infof("connection %s: verified remote cluster [%s] (attempts: %d)", connectionId, job.alias,
                    job.attempts);
        }
        outcome.ifPresent(ledger::publish);
        return outcome;
    }
}

package io.crosslink.verify.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.StepWarnings;
import io.crosslink.runtime.work.WorkQueue;
import io.crosslink.verify.domain.AttemptResult;
import io.crosslink.verify.domain.ProbeTarget;
import io.crosslink.verify.domain.RequestedConnection;
import io.crosslink.verify.domain.RetryPolicy;
import io.crosslink.verify.domain.Verification;
import io.crosslink.verify.repository.VerificationStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The state changes of verify-service, each in ONE transaction. For the consumer (with the inbox record):
 * remembering a request, starting a verification (its record and its {@value #KIND} work item), cancelling it on
 * compensation. For the work item's handler ({@link VerifyConnectionHandler}): {@link #begin} reads what the next
 * attempt asks, and {@link #conclude} records it with the emitted event. The Elasticsearch calls happen between the
 * two, outside any transaction.
 */
@ApplicationScoped
public class VerificationStep {
    /** The work item that verifies a connection: one attempt per run, parked between attempts. */
    public static final String KIND = "verify-connection";
    private static final Logger LOG = Logger.getLogger(VerificationStep.class);

    private final VerificationStore store;
    private final EventLedger ledger;
    private final WorkItems work;
    private final Clock clock;
    private final RetryPolicy policy;

    public VerificationStep(VerificationStore store, EventLedger ledger, WorkItems work, Clock clock,
            RetryPolicy policy) {
        this.store = store;
        this.ledger = ledger;
        this.work = work;
        this.clock = clock;
        this.policy = policy;
    }

    /** How an attempt concluded, as its work item needs to know. */
    public sealed interface Conclusion {

        /** The verification ended with {@code event} (published): the item is done. */
        record Ended(ConnectionEvent event) implements Conclusion {
        }

        /** Not proven yet: the next attempt after {@code delay}. */
        record TryAgain(Duration delay, StepFailure cause) implements Conclusion {
        }

        /** The verification is no longer this attempt's (cancelled, ended, registered again): nothing is said. */
        record Dropped(String why) implements Conclusion {
        }
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

    /** Starts verifying: the verification's record and its work item, which the dispatcher runs after the commit. */
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
        RequestedConnection requested = connection.get();
        if (requested.isCompensating()) {
            // The tombstone: a late or repeated registration of a connection being undone proves nothing.
            LOG.infof("connection %s is being compensated: RemoteConnected recorded, no verification started",
                    event.connectionId());
            ledger.record(event);
            return;
        }
        Optional<Verification> existing = store.lockVerification(event.connectionId());
        if (existing.isEmpty()) {
            store.add(Verification.start(requested, event, now, policy));
            LOG.infof("connection %s: verifying remote cluster [%s] on %s", event.connectionId(), event.alias(),
                    requested.localDeploymentId);
        } else if (!existing.get().isPending()) {
            existing.get().restart(requested, event, now, policy);
            LOG.infof("connection %s: registered again, verifying remote cluster [%s] again", event.connectionId(),
                    event.alias());
        } else {
            LOG.debugf("connection %s: a verification is running already", event.connectionId());
            ledger.record(event);
            return;
        }
        work.enqueue(KIND, event, List.of(WorkQueue.deployment(requested.localEnvironment,
                requested.localDeploymentId)));
        ledger.record(event);
    }

    /**
     * Compensation (or a disconnect) started: a pending verification is cancelled, its work item too, and it will
     * emit nothing (an attempt in flight concludes to nothing); none starts afterwards. A verification that has
     * ended is left as it is.
     */
    @Transactional
    public void onCompensationStarted(CompensationStarted event) {
        if (ledger.seen(event.eventId())) {
            return;
        }
        Instant now = clock.instant();
        store.connection(event.connectionId()).filter(c -> !c.isCompensating())
                .ifPresent(connection -> connection.compensationStartedAt = now);
        store.lockVerification(event.connectionId()).filter(Verification::isPending).ifPresent(verification -> {
            verification.cancel(now);
            work.cancel(event.connectionId(), KIND);
            LOG.infof("connection %s: compensation started (%s), verification cancelled after %d attempt(s)",
                    event.connectionId(), event.cause(), verification.attempts);
        });
        ledger.record(event);
    }

    /**
     * What the attempt for the RemoteConnected {@code triggerEventId} asks; empty when that verification is no
     * longer going on (it ended, was cancelled, or a new registration started another).
     */
    @Transactional
    public Optional<ProbeTarget> begin(String connectionId, String triggerEventId) {
        return store.verification(connectionId).filter(v -> v.awaits(triggerEventId)).map(Verification::target);
    }

    /** Records an attempt; publishes ConnectionVerified or VerificationFailed when the verification ends. */
    @Transactional
    public Conclusion conclude(String connectionId, String triggerEventId, AttemptResult result) {
        Optional<Verification> found = store.lockVerification(connectionId);
        if (found.isEmpty() || !found.get().awaits(triggerEventId)) {
            // Cancelled by compensation while the attempt ran, or concluded by an earlier run of the same item.
            String why = found.map(v -> "verification " + v.state + (v.triggerEventId.equals(triggerEventId) ? ""
                    : " (started by another RemoteConnected)")).orElse("no verification");
            LOG.debugf("connection %s: attempt concluded to nothing: %s", connectionId, why);
            return new Conclusion.Dropped(why);
        }
        Verification verification = found.get();
        Instant now = clock.instant();
        Optional<ConnectionEvent> outcome = verification.conclude(result, now, policy, StepWarnings.current());
        if (outcome.isEmpty()) {
            Instant next = verification.nextAttempt(now, policy);
            LOG.debugf("connection %s: attempt %d not proven (%s: %s), next at %s", connectionId,
                    verification.attempts, verification.lastFailureType, verification.lastFailureReason, next);
            return new Conclusion.TryAgain(Duration.between(now, next), ((AttemptResult.Unproven) result).cause());
        }
        if (outcome.get() instanceof VerificationFailed failed) {
            LOG.warnf("connection %s: verification failed (attempts: %d): %s: %s", connectionId,
                    verification.attempts, failed.failure().type(), failed.failure().reason());
        } else {
            LOG.infof("connection %s: verified remote cluster [%s] (attempts: %d)", connectionId, verification.alias,
                    verification.attempts);
        }
        ledger.publish(outcome.get());
        return new Conclusion.Ended(outcome.get());
    }
}

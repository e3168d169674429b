package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.events.UndoChain;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.key.config.KeyServiceConfig;
import io.crosslink.key.domain.Invalidation;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs {@value KeyWork#INVALIDATE_KEYS}, the key undo, on a worker holding R's permit. Queued by
 * KeystoreEntryRemoved / KeystoreEntryRemovalFailed ({@link KeyUndoStep}), by a ConnectionRequested that arrives
 * after the undo was asked for ({@link KeyCreationStep}), or by a late create ({@link CreateKeyHandler}). ONE attempt
 * per run ({@link KeyInvalidator}: every active key named {@code crosslink-<connectionId>} on R plus the key on
 * record), then ONE transaction: the key row INVALIDATED, KeyInvalidated, the item done. A transient failure parks
 * the item ({@link KeyWork.Retries}): while the run after the park starts early enough before the undo chain's
 * deadline ({@link UndoBudget}), or, for a chain without one (older events), until the retries are spent. Then, or at
 * once on a permanent failure, R is read once more: a key still active → KeyInvalidationFailed, confirmed, naming it;
 * none → KeyInvalidated (the failed call took effect after all); unreadable → KeyInvalidationFailed, possible. Every
 * answer carries the run of the chain it answers ({@link KeyWork#chainAnswered}). Idempotent: it acts on what exists
 * on R, and a run of an item that is over does nothing.
 */
@ApplicationScoped
public class InvalidateKeysHandler implements WorkHandler {
    private static final Logger LOG = Logger.getLogger(InvalidateKeysHandler.class);

    private final KeyRegistry registry;
    private final KeyInvalidator invalidator;
    private final KeyWork.Retries retries;
    private final UndoBudget budget;
    private final Clock clock;

    @Inject
    public InvalidateKeysHandler(KeyRegistry registry, KeyInvalidator invalidator, KeyServiceConfig config) {
        this(registry, invalidator, KeyWork.Retries.forInvalidation(config.key()),
                new UndoBudget(config.saga().undoReportMargin(), Clock.systemUTC()));
    }

    /** The budget's clock also dates the answers. */
    InvalidateKeysHandler(KeyRegistry registry, KeyInvalidator invalidator, KeyWork.Retries retries,
            UndoBudget budget) {
        this.registry = registry;
        this.invalidator = invalidator;
        this.retries = retries;
        this.budget = budget;
        this.clock = budget.clock();
    }

    @Override
    public String kind() {
        return KeyWork.INVALIDATE_KEYS;
    }

    @Override
    public WorkResult run(Work work) {
        String connectionId = work.connectionId();
        Optional<Target> target = registry.inTransaction(connectionId, tx -> target(tx, work));
        if (target.isEmpty()) {
            return WorkResult.done();
        }
        String remote = target.get().deploymentId();
        UndoChain chain = target.get().chain();
        List<String> recorded = target.get().recordedActiveKeyIds();
        Set<String> named = new LinkedHashSet<>(recorded);
        Invalidation invalidation;
        try {
            invalidation = invalidator.invalidate(connectionId, remote, recorded, named::addAll);
        } catch (TransientElasticCallException e) {
            Duration delay = retries.delay(work, e.retryAfter());
            if (mayRetry(work, chain, delay)) {
                LOG.infof("connection %s: invalidating its keys on deployment %s failed in run %d (%s), again in %d ms",
                        connectionId, remote, work.attempts() + 1, e.failure().type(), delay.toMillis());
                return WorkResult.park(delay, e.getMessage());
            }
            if (chain != null && chain.deadline() != null) {
                LOG.infof("connection %s: no retry of its key undo fits before %s (the undo chain's deadline less the"
                        + " report margin): R is read once more and the undo reported", connectionId,
                        budget.lastStart(chain));
            }
            return afterFailure(work, connectionId, remote, chain, e.failure(), List.copyOf(named));
        } catch (ElasticCallException e) {
            return afterFailure(work, connectionId, remote, chain, e.failure(), List.copyOf(named));
        }
        return invalidated(work, connectionId, chain, invalidation);
    }

    /**
     * Whether a transient failure is retried after {@code delay}: a chain with a deadline keeps the undo going as
     * long as the retry starts early enough to leave the report margin (connect-service ends the chain FAILED at
     * the deadline, so an answer after it is lost work); a chain without one (older events) has the retry count.
     */
    private boolean mayRetry(Work work, UndoChain chain, Duration delay) {
        return budget.allowsRetryAfter(chain, delay).orElseGet(() -> !retries.spent(work));
    }

    /**
     * The invalidation failed for good, yet a failed call may have taken effect (a lost answer, a partial error): one
     * fresh read of R decides what is reported. Only a read showing an active key confirms a leftover; none active
     * means the undo is done after all; an unreadable R leaves a leftover possible.
     *
     * @param named the recorded key and the keys the failed attempt's lookup found, the ones the undo was about
     */
    private WorkResult afterFailure(Work work, String connectionId, String remote, UndoChain chain,
            StepFailure failure, List<String> named) {
        Optional<List<String>> active = invalidator.activeKeyIds(connectionId, remote);
        if (active.isEmpty()) {
            return failed(work, connectionId, remote, chain, failure, Certainty.POSSIBLE, List.of());
        }
        if (!active.get().isEmpty()) {
            return failed(work, connectionId, remote, chain, failure, Certainty.CONFIRMED, active.get());
        }
        LOG.infof("connection %s: invalidating its keys on deployment %s failed (%s), yet none is active there: done",
                connectionId, remote, failure.type());
        return invalidated(work, connectionId, chain, new Invalidation(named, !named.isEmpty()));
    }

    /** KeyInvalidated, the recorded key INVALIDATED and the item done, in one transaction. */
    private WorkResult invalidated(Work work, String connectionId, UndoChain chain, Invalidation invalidation) {
        commit(work, connectionId, true, new KeyInvalidated(Outbox.newEventId(), connectionId, clock.instant(),
                invalidation.keyIds(), invalidation.removed(), chain));
        LOG.infof("connection %s: key undo done (key ids %s, removed %s)", connectionId, invalidation.keyIds(),
                invalidation.removed());
        return WorkResult.done();
    }

    /** KeyInvalidationFailed and the item done, in one transaction; the recorded key stays as it is. */
    private WorkResult failed(Work work, String connectionId, String remote, UndoChain chain, StepFailure failure,
            Certainty certainty, List<String> activeKeyIds) {
        commit(work, connectionId, false, new KeyInvalidationFailed(Outbox.newEventId(), connectionId,
                clock.instant(), failure, certainty, activeKeyIds, chain));
        LOG.warnf("connection %s: invalidating its key on deployment %s failed after %d run(s) (%s, retryable %s,"
                + " leftover %s %s): %s", connectionId, remote, work.attempts() + 1, failure.type(),
                failure.retryable(), certainty, activeKeyIds, failure.reason());
        return WorkResult.done();
    }

    private void commit(Work work, String connectionId, boolean keyInvalidated, ConnectionEvent outcome) {
        registry.inTransaction(connectionId, tx -> {
            if (keyInvalidated) {
                tx.key().filter(IssuedKey::isActive).ifPresent(key -> tx.save(key.invalidated()));
            }
            tx.publish(outcome);
            tx.finish(work.id());
            return null;
        });
    }

    /** Where to search and which key is on record, unless the item has nothing (left) to do. */
    private Optional<Target> target(KeyRegistry.Changes tx, Work work) {
        if (tx.finished(work.id())) {
            LOG.debugf("connection %s: work %d is over already", work.connectionId(), work.id());
            return Optional.empty();
        }
        TrackedConnection connection = tx.connection();
        if (!connection.hasKeyOnRemote() || connection.remoteDeploymentId() == null) {
            // Not queued for such a connection; should it be, there is no key and nothing to announce.
            LOG.infof("connection %s uses %s: no key to invalidate, nothing to announce", work.connectionId(),
                    connection.securityModel());
            tx.finish(work.id());
            return Optional.empty();
        }
        List<String> recorded = tx.key().filter(IssuedKey::isActive).map(key -> List.of(key.keyId())).orElse(List.of());
        return Optional.of(new Target(connection.remoteDeploymentId(), recorded,
                KeyWork.chainAnswered(work.event(), connection)));
    }

    /** @param chain the run of the undo chain this item answers (null: a chain from before runs were carried) */
    private record Target(String deploymentId, List<String> recordedActiveKeyIds, UndoChain chain) {
    }
}

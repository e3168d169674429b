package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.key.config.KeyServiceConfig;
import io.crosslink.key.domain.Invalidation;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs {@value KeyWork#INVALIDATE_KEYS}, the key undo, on a worker holding R's permit. Queued by
 * KeystoreEntryRemoved / KeystoreEntryRemovalFailed ({@link KeyUndoStep}), by a ConnectionRequested that arrives
 * after the undo was asked for ({@link KeyCreationStep}), or by a late create ({@link CreateKeyHandler}). ONE attempt
 * per run ({@link KeyInvalidator}: every active key named {@code crosslink-<connectionId>} on R plus the key on
 * record), then ONE transaction: the key row INVALIDATED, KeyInvalidated, the item done. A transient failure parks
 * the item ({@link KeyWork.Retries}); once the retries are spent, or at once on a permanent failure,
 * KeyInvalidationFailed. Idempotent: it acts on what exists on R, and a run of an item that is over does nothing.
 */
@ApplicationScoped
public class InvalidateKeysHandler implements WorkHandler {
    private static final Logger LOG = Logger.getLogger(InvalidateKeysHandler.class);

    private final KeyRegistry registry;
    private final KeyInvalidator invalidator;
    private final KeyWork.Retries retries;
    private final Clock clock;

    @Inject
    public InvalidateKeysHandler(KeyRegistry registry, KeyInvalidator invalidator, KeyServiceConfig config) {
        this(registry, invalidator, KeyWork.Retries.forInvalidation(config.key()), Clock.systemUTC());
    }

    InvalidateKeysHandler(KeyRegistry registry, KeyInvalidator invalidator, KeyWork.Retries retries, Clock clock) {
        this.registry = registry;
        this.invalidator = invalidator;
        this.retries = retries;
        this.clock = clock;
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
        Invalidation invalidation = null;
        StepFailure failure = null;
        try {
            invalidation = invalidator.invalidate(connectionId, remote, target.get().recordedActiveKeyIds());
        } catch (TransientElasticCallException e) {
            if (!retries.spent(work)) {
                Duration delay = retries.delay(work, e.retryAfter());
                LOG.infof("connection %s: invalidating its keys on deployment %s failed in run %d (%s), again in %d ms",
                        connectionId, remote, work.attempts() + 1, e.failure().type(), delay.toMillis());
                return WorkResult.park(delay, e.getMessage());
            }
            failure = e.failure();
        } catch (ElasticCallException e) {
            failure = e.failure();
        }
        if (invalidation == null) {
            // The outcome is unknown or refused: what R really holds decides what is reported.
            Optional<List<String>> active = invalidator.activeKeyIds(connectionId, remote);
            if (active.isPresent() && active.get().isEmpty()) {
                LOG.infof("connection %s: invalidating its keys failed (%s), yet R shows none active: invalidated",
                        connectionId, failure.type());
                invalidation = new Invalidation(target.get().recordedActiveKeyIds(), true);
            } else {
                LOG.infof("connection %s: after the failure R %s", connectionId, active
                        .map(ids -> "still shows active key(s) " + ids).orElse("could not be read"));
                return report(work, connectionId, remote, null, new KeyInvalidationFailed(Outbox.newEventId(),
                        connectionId, clock.instant(), failure, active.isPresent() ? Certainty.CONFIRMED
                                : Certainty.POSSIBLE, active.orElse(List.of())));
            }
        }
        return report(work, connectionId, remote, invalidation, new KeyInvalidated(Outbox.newEventId(), connectionId,
                clock.instant(), invalidation.keyIds(), invalidation.removed()));
    }

    /** Publishes the undo's outcome and finishes the item, in one transaction. */
    private WorkResult report(Work work, String connectionId, String remote, Invalidation invalidation,
            ConnectionEvent outcome) {
        boolean invalidated = invalidation != null;
        registry.inTransaction(connectionId, tx -> {
            if (invalidated) {
                tx.key().filter(IssuedKey::isActive).ifPresent(key -> tx.save(key.invalidated()));
            }
            tx.publish(outcome);
            tx.finish(work.id());
            return null;
        });
        if (outcome instanceof KeyInvalidationFailed failed) {
            LOG.warnf("connection %s: invalidating its key on deployment %s failed after %d run(s) (%s, retryable %s):"
                    + " %s", connectionId, remote, work.attempts() + 1, failed.failure().type(),
                    failed.failure().retryable(), failed.failure().reason());
        } else {
            LOG.infof("connection %s: key undo done (key ids %s, removed %s)", connectionId, invalidation.keyIds(),
                    invalidation.removed());
        }
        return WorkResult.done();
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
        return Optional.of(new Target(connection.remoteDeploymentId(), recorded));
    }

    private record Target(String deploymentId, List<String> recordedActiveKeyIds) {
    }
}

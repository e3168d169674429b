package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.key.client.CreatedApiKey;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.key.config.KeyServiceConfig;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.KeySpec;
import io.crosslink.key.domain.KeyState;
import io.crosslink.key.domain.TrackedConnection;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.StepWarnings;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs {@value KeyWork#CREATE_KEY}, queued by ConnectionRequested ({@link KeyCreationStep}), on a worker holding
 * R's permit: ONE attempt per run ({@link KeyProvisioner}: a key of this connection whose value was lost is
 * invalidated, then the key is created), then ONE transaction commits the key and KeyCreated, or KeyCreationFailed,
 * and marks the item done. A transient failure (refused, dropped, timed out, 408/429/5xx) parks the item
 * ({@link KeyWork.Retries}: exponential backoff, at least {@code Retry-After}); once the retries are spent it ends
 * in a retryable KeyCreationFailed. A permanent failure (a 4xx, a deployment without configured access) ends at once.
 *
 * <p>Idempotent: a run of an item that is over does nothing; a crash between the create on R and the commit
 * leaves a key whose value is lost, which the next run replaces. Compensation wins over creation: a run that finds
 * the tombstone creates nothing; a key created while compensation started is stored but not announced (the undo
 * that follows invalidates it); when the undo was asked for meanwhile, its {@value KeyWork#INVALIDATE_KEYS} item
 * runs right after this one (one item of a connection at a time) and invalidates the new key, and should no undo
 * be pending any more, this commit queues one.
 */
@ApplicationScoped
public class CreateKeyHandler implements WorkHandler {
    private static final Logger LOG = Logger.getLogger(CreateKeyHandler.class);

    private final KeyRegistry registry;
    private final KeyProvisioner provisioner;
    private final SecretBox secretBox;
    private final KeyWork.Retries retries;
    private final Clock clock;

    @Inject
    public CreateKeyHandler(KeyRegistry registry, KeyProvisioner provisioner, SecretBox secretBox,
            KeyServiceConfig config) {
        this(registry, provisioner, secretBox, KeyWork.Retries.forCreation(config.key()), Clock.systemUTC());
    }

    CreateKeyHandler(KeyRegistry registry, KeyProvisioner provisioner, SecretBox secretBox, KeyWork.Retries retries,
            Clock clock) {
        this.registry = registry;
        this.provisioner = provisioner;
        this.secretBox = secretBox;
        this.retries = retries;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KeyWork.CREATE_KEY;
    }

    @Override
    public WorkResult run(Work work) {
        ConnectionRequested event = work.event(ConnectionRequested.class);
        String connectionId = event.connectionId();
        if (!registry.inTransaction(connectionId, tx -> stillToCreate(tx, work, event))) {
            return WorkResult.done();
        }
        String remote = event.request().remote().deploymentId();
        CreatedApiKey created;
        try {
            created = provisionWithQuickRepeats(connectionId, remote, event);
        } catch (TransientElasticCallException e) {
            if (!retries.spent(work)) {
                Duration delay = retries.delay(work, e.retryAfter());
                LOG.infof("connection %s: creating its key on deployment %s failed in run %d (%s), again in %d ms",
                        connectionId, remote, work.attempts() + 1, e.failure().type(), delay.toMillis());
                return WorkResult.park(delay, e.getMessage());
            }
            fail(work, event, e.failure());
            return WorkResult.done();
        } catch (ElasticCallException e) {
            fail(work, event, e.failure());
            return WorkResult.done();
        }
        IssuedKey key = new IssuedKey(connectionId, created.id(), created.name(), remote,
                secretBox.seal(created.encoded(), connectionId), now(), KeyState.ACTIVE);
        commit(work, event, key, announcement(key));
        return WorkResult.done();
    }

    /**
     * An attempt is safe to repeat (it looks up and invalidates what an earlier one may have created), so a lone
     * transient error is met with another attempt at once, a few times, before the item parks: a slow deployment
     * (timeout) or one that asked to wait ({@code Retry-After}) is not asked again at once.
     */
    private CreatedApiKey provisionWithQuickRepeats(String connectionId, String remote, ConnectionRequested event) {
        for (int repeat = 0; ; repeat++) {
            try {
                return provisioner.provision(connectionId, remote, KeySpec.of(event));
            } catch (TransientElasticCallException e) {
                if (repeat >= retries.quickRepeats() || e.retryAfter().isPresent() || "timeout".equals(e.failure().type())) {
                    throw e;
                }
            }
        }
    }

    /** Whether the key is still to be created; when not, what the item leaves to do is done in this transaction. */
    private boolean stillToCreate(KeyRegistry.Changes tx, Work work, ConnectionRequested event) {
        String connectionId = event.connectionId();
        if (tx.finished(work.id())) {
            LOG.debugf("connection %s: work %d is over already", connectionId, work.id());
            return false;
        }
        TrackedConnection connection = tx.connection();
        if (!connection.hasKeyOnRemote()) {
            LOG.debugf("connection %s uses %s: no API key to create", connectionId, connection.securityModel());
            tx.finish(work.id());
            return false;
        }
        if (connection.compensating()) {
            // Compensation wins: the undo searches R for whatever an earlier run may have left there.
            LOG.infof("connection %s is being compensated (undo asked for: %s): no key is created", connectionId,
                    connection.undoRequested());
            tx.finish(work.id());
            return false;
        }
        Optional<IssuedKey> key = tx.key();
        if (key.isPresent()) {
            // Created meanwhile for another request of the connection: this request gets the same answer.
            if (key.get().isActive()) {
                LOG.infof("connection %s has key %s (id %s) already: announcing it again", connectionId,
                        key.get().keyName(), key.get().keyId());
                tx.publish(announcement(key.get()));
            }
            tx.finish(work.id());
            return false;
        }
        return true;
    }

    private void fail(Work work, ConnectionRequested event, StepFailure failure) {
        LOG.warnf("connection %s: key creation failed after %d run(s) (%s, retryable %s): %s", event.connectionId(),
                work.attempts() + 1, failure.type(), failure.retryable(), failure.reason());
        commit(work, event, null, new KeyCreationFailed(Outbox.newEventId(), event.connectionId(), now(), failure));
    }

    /**
     * The outcome in one transaction: the new key if any (kept even when compensating: the undo will invalidate
     * it), the announcement unless compensation started meanwhile, and the item done. When the undo was asked for
     * meanwhile, the key stays unannounced for the undo; should no undo be pending (it ran before this commit, which
     * one item of a connection at a time leaves to a lost lease only), one is queued, so a late create still undoes
     * its own key.
     */
    private void commit(Work work, ConnectionRequested event, IssuedKey newKey, ConnectionEvent outcome) {
        String connectionId = event.connectionId();
        registry.inTransaction(connectionId, tx -> {
            TrackedConnection connection = tx.connection();
            if (newKey != null) {
                tx.save(newKey);
            }
            if (connection.undoRequested()) {
                if (tx.pending(KeyWork.INVALIDATE_KEYS)) {
                    LOG.infof("connection %s: its key undo was asked for while the key was being created; %s is not"
                            + " announced, the undo invalidates it", connectionId, outcome.getClass().getSimpleName());
                } else {
                    LOG.infof("connection %s: its key undo ran while the key was being created; %s is not announced,"
                            + " the undo runs again", connectionId, outcome.getClass().getSimpleName());
                    tx.enqueue(KeyWork.INVALIDATE_KEYS, event, KeyWork.deployment(event));
                }
            } else if (connection.compensating()) {
                LOG.infof("connection %s: compensation started meanwhile, %s is not announced", connectionId,
                        outcome.getClass().getSimpleName());
            } else {
                tx.publish(outcome);
            }
            tx.finish(work.id());
            return null;
        });
    }

    private KeyCreated announcement(IssuedKey key) {
        return new KeyCreated(Outbox.newEventId(), key.connectionId(), now(), key.keyId(), key.keyName(),
                key.encodedKey(), StepWarnings.current());
    }

    private Instant now() {
        return clock.instant();
    }
}

package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.events.messaging.Outbox;
import io.crosslink.events.secret.SecretBox;
import io.crosslink.key.client.CreatedApiKey;
import io.crosslink.key.client.ElasticCallException;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.KeySpec;
import io.crosslink.key.domain.KeyState;
import io.crosslink.key.domain.TrackedConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The saga step of key-service: ConnectionRequested (API-key model) becomes a cross-cluster API key on R and
 * KeyCreated, or KeyCreationFailed. Idempotent: a redelivered event changes nothing; a connection whose key
 * exists already gets the same key announced again; a key on R whose encoded value was lost is replaced.
 * The Elastic calls run outside any transaction; their outcome is committed in one, under the connection's lock.
 * A certificate-model request needs no key: it is only recorded (R and the model), nothing is created or announced.
 *
 * <p>Compensation wins over creation: after CompensationStarted (the tombstone) the request is only recorded
 * (with R, for the undo); when the key undo was asked for already, or is asked for while the key is being
 * created, nothing is announced and the connection's keys on R are invalidated at once ({@link KeyUndoStep}).
 */
@ApplicationScoped
public class KeyCreationStep {
    private static final Logger LOG = Logger.getLogger(KeyCreationStep.class);

    private final KeyRegistry registry;
    private final KeyProvisioner provisioner;
    private final KeyUndoStep undo;
    private final SecretBox secretBox;
    private final Clock clock;

    @Inject
    public KeyCreationStep(KeyRegistry registry, KeyProvisioner provisioner, KeyUndoStep undo, SecretBox secretBox) {
        this(registry, provisioner, undo, secretBox, Clock.systemUTC());
    }

    KeyCreationStep(KeyRegistry registry, KeyProvisioner provisioner, KeyUndoStep undo, SecretBox secretBox,
            Clock clock) {
        this.registry = registry;
        this.provisioner = provisioner;
        this.undo = undo;
        this.secretBox = secretBox;
        this.clock = clock;
    }

    public void on(ConnectionRequested event) {
        String connectionId = event.connectionId();
        if (registry.processed(event.eventId())) {
            LOG.debugf("event %s of connection %s was applied already", event.eventId(), connectionId);
            return;
        }
        Known known = registry.inTransaction(connectionId, tx -> new Known(tx.connection().requested(event), tx.key()));
        TrackedConnection connection = known.connection();
        if (connection.undoRequested()) {
            LOG.infof("connection %s: its key undo was asked for before this request: no key is created, deployment"
                    + " %s is searched for keys to invalidate instead", connectionId, connection.remoteDeploymentId());
            undo.undo(event, connection);
            return;
        }
        if (!connection.hasKeyOnRemote()) {
            LOG.debugf("connection %s uses %s: no API key to create", connectionId, connection.securityModel());
            commit(event, null, null);
            return;
        }
        if (connection.compensating()) {
            LOG.infof("connection %s is being compensated: its request is recorded, no key is created", connectionId);
            commit(event, null, null);
            return;
        }
        if (known.key().isPresent()) {
            announceAgain(event, known.key().get());
            return;
        }
        String remote = connection.remoteDeploymentId();
        CreatedApiKey created;
        try {
            created = provisioner.provision(connectionId, remote, KeySpec.of(event));
        } catch (ElasticCallException e) {
            fail(event, e.failure());
            return;
        } catch (TimeoutException e) {
            fail(event, new StepFailure("timeout", "creating the cross-cluster API key on deployment " + remote
                    + " did not finish in time", null, true));
            return;
        }
        IssuedKey key = new IssuedKey(connectionId, created.id(), created.name(), remote,
                secretBox.seal(created.encoded(), connectionId), now(), KeyState.ACTIVE);
        commit(event, key, announcement(key));
    }

    private void announceAgain(ConnectionRequested event, IssuedKey key) {
        if (!key.isActive()) {
            // Compensation invalidated it: a late ConnectionRequested must not bring the connection back.
            LOG.infof("connection %s: key %s was invalidated; the request is recorded, nothing is announced",
                    key.connectionId(), key.keyName());
            commit(event, null, null);
            return;
        }
        LOG.infof("connection %s has key %s (id %s) already: announcing it again", key.connectionId(),
                key.keyName(), key.keyId());
        commit(event, null, announcement(key));
    }

    private void fail(ConnectionRequested event, StepFailure failure) {
        LOG.warnf("connection %s: key creation failed (%s, retryable %s): %s", event.connectionId(), failure.type(),
                failure.retryable(), failure.reason());
        commit(event, null, new KeyCreationFailed(Outbox.newEventId(), event.connectionId(), now(), failure));
    }

    /**
     * Applies the request with its outcome in one transaction: R (always, for a later undo), the new key if any,
     * and the outcome unless compensation started meanwhile. If the key undo was asked for meanwhile, nothing is
     * committed here: the undo runs now and invalidates whatever this request left on R.
     */
    private void commit(ConnectionRequested event, IssuedKey newKey, ConnectionEvent outcome) {
        boolean applied = registry.inTransaction(event.connectionId(), tx -> {
            TrackedConnection connection = tx.connection().requested(event);
            if (connection.undoRequested()) {
                return false;
            }
            tx.save(connection);
            if (newKey != null) {
                tx.save(newKey); // kept even when compensating: the undo chain will invalidate it
            }
            if (outcome != null && !connection.compensating()) {
                tx.publish(outcome);
            } else if (outcome != null) {
                LOG.infof("connection %s: compensation started meanwhile, %s is not announced", event.connectionId(),
                        outcome.getClass().getSimpleName());
            }
            tx.applied(event);
            return true;
        });
        if (!applied) {
            LOG.infof("connection %s: its key undo was asked for while the key was being created; invalidating it",
                    event.connectionId());
            undo.undo(event, TrackedConnection.unknown(event.connectionId()).requested(event).undoAsked());
        }
    }

    private KeyCreated announcement(IssuedKey key) {
        return new KeyCreated(Outbox.newEventId(), key.connectionId(), now(), key.keyId(), key.keyName(),
                key.encodedKey());
    }

    private Instant now() {
        return clock.instant();
    }

    /** What the registry knew before the Elastic calls. */
    private record Known(TrackedConnection connection, Optional<IssuedKey> key) {
    }
}

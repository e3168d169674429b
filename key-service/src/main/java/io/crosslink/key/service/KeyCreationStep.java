package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.SealedSecret;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.TrackedConnection;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.secret.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The saga step of key-service, as the {@code connect-events} consumer applies it: ConnectionRequested (API-key
 * model) queues the {@value KeyWork#CREATE_KEY} work item, which {@link CreateKeyHandler} runs on a worker: the
 * cross-cluster API key on R, then KeyCreated, or KeyCreationFailed. Here nothing calls Elastic: ONE transaction
 * checks the inbox, records the event and R, and queues the work or answers at once. Idempotent: a redelivered
 * event changes nothing; a connection whose key exists already gets the same key announced again (no work); a key
 * on R whose encoded value was lost is replaced (by the handler). A certificate-model request needs no key: it is
 * only recorded (R and the model), nothing is created or announced.
 *
 * <p>Compensation wins over creation: after CompensationStarted (the tombstone) the request is only recorded (with
 * R, for the undo); when the key undo was asked for already (before this request was seen), no key is created and
 * the {@value KeyWork#INVALIDATE_KEYS} work item searches R instead ({@link InvalidateKeysHandler}). The undo asked
 * for while the key is being created is handled when the create commits ({@link CreateKeyHandler}).
 */
@ApplicationScoped
public class KeyCreationStep {
    private static final Logger LOG = Logger.getLogger(KeyCreationStep.class);

    private final KeyRegistry registry;
    private final SecretBox secretBox;
    private final Clock clock;

    @Inject
    public KeyCreationStep(KeyRegistry registry, SecretBox secretBox) {
        this(registry, secretBox, Clock.systemUTC());
    }

    KeyCreationStep(KeyRegistry registry, SecretBox secretBox, Clock clock) {
        this.registry = registry;
        this.secretBox = secretBox;
        this.clock = clock;
    }

    public void on(ConnectionRequested event) {
        String connectionId = event.connectionId();
        registry.inTransaction(connectionId, tx -> {
            if (tx.seen(event)) {
                LOG.debugf("event %s of connection %s was applied already", event.eventId(), connectionId);
                return null;
            }
            TrackedConnection connection = tx.connection().requested(event);
            tx.save(connection); // R is remembered in every case: an undo must know where to search
            tx.applied(event);
            if (!connection.hasKeyOnRemote()) {
                LOG.debugf("connection %s uses %s: no API key to create", connectionId, connection.securityModel());
            } else if (connection.undoRequested()) {
                if (tx.pending(KeyWork.INVALIDATE_KEYS)) {
                    LOG.infof("connection %s: its key undo is queued already; no key is created", connectionId);
                } else {
                    LOG.infof("connection %s: its key undo was asked for before this request: no key is created,"
                            + " deployment %s is searched for keys to invalidate instead", connectionId,
                            connection.remoteDeploymentId());
                    tx.enqueue(KeyWork.INVALIDATE_KEYS, event, KeyWork.deployment(event));
                }
            } else if (connection.compensating()) {
                LOG.infof("connection %s is being compensated: its request is recorded, no key is created", connectionId);
            } else {
                Optional<IssuedKey> key = tx.key();
                if (key.isPresent()) {
                    announceAgain(tx, key.get());
                } else {
                    LOG.debugf("connection %s: key creation on deployment %s queued", connectionId,
                            connection.remoteDeploymentId());
                    tx.enqueue(KeyWork.CREATE_KEY, event, KeyWork.deployment(event));
                }
            }
            return null;
        });
    }

    private void announceAgain(KeyRegistry.Changes tx, IssuedKey key) {
        if (!key.isActive()) {
            // Compensation invalidated it: a late ConnectionRequested must not bring the connection back.
            LOG.infof("connection %s: key %s was invalidated; the request is recorded, nothing is announced",
                    key.connectionId(), key.keyName());
            return;
        }
        LOG.infof("connection %s has key %s (id %s) already: announcing it again", key.connectionId(),
                key.keyName(), key.keyId());
        tx.publish(new KeyCreated(Outbox.newEventId(), key.connectionId(), clock.instant(), key.keyId(), key.keyName(),
                sealedWithTheCurrentKey(key)));
    }

    /**
     * The stored sealed key, sealed again with the ring's first data key when an older one sealed it: after a
     * rotation, trust-service may have dropped that older key. One the ring cannot open any more is announced as
     * stored: trust-service then says which key it lacks.
     */
    private SealedSecret sealedWithTheCurrentKey(IssuedKey key) {
        SealedSecret stored = key.encodedKey();
        if (stored.keyId().equals(secretBox.keyId())) {
            return stored;
        }
        try {
            return secretBox.seal(secretBox.open(stored, key.connectionId()), key.connectionId());
        } catch (SecretBox.SecretException e) {
            LOG.warnf("connection %s: its stored key cannot be sealed again: %s", key.connectionId(), e.getMessage());
            return stored;
        }
    }
}

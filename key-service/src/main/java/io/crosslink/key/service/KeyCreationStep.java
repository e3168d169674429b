package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.messaging.Outbox;
import io.crosslink.events.secret.SecretBox;
import io.crosslink.key.client.CreatedApiKey;
import io.crosslink.key.client.ElasticCallException;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.KeySpec;
import io.crosslink.key.domain.KeyState;
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
 * The Elastic calls run outside any transaction; their outcome is committed in one.
 */
@ApplicationScoped
public class KeyCreationStep {
    private static final Logger LOG = Logger.getLogger(KeyCreationStep.class);

    private final KeyRegistry registry;
    private final KeyProvisioner provisioner;
    private final SecretBox secretBox;
    private final Clock clock;

    @Inject
    public KeyCreationStep(KeyRegistry registry, KeyProvisioner provisioner, SecretBox secretBox) {
        this(registry, provisioner, secretBox, Clock.systemUTC());
    }

    KeyCreationStep(KeyRegistry registry, KeyProvisioner provisioner, SecretBox secretBox, Clock clock) {
        this.registry = registry;
        this.provisioner = provisioner;
        this.secretBox = secretBox;
        this.clock = clock;
    }

    public void on(ConnectionRequested event) {
        String connectionId = event.connectionId();
        if (event.request().securityModel() != SecurityModel.API_KEY) {
            LOG.debugf("connection %s uses %s: no API key to create", connectionId, event.request().securityModel());
            return;
        }
        if (registry.processed(event.eventId())) {
            LOG.debugf("event %s of connection %s was applied already", event.eventId(), connectionId);
            return;
        }
        Optional<IssuedKey> issued = registry.findByConnectionId(connectionId);
        if (issued.isPresent()) {
            announceAgain(event, issued.get());
            return;
        }
        String remote = event.request().remote().deploymentId();
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
        registry.recordIssued(event, key, announcement(key));
    }

    private void announceAgain(ConnectionRequested event, IssuedKey key) {
        if (key.state() != KeyState.ACTIVE) {
            // Compensation invalidated it: a late ConnectionRequested must not bring the connection back.
            fail(event, new StepFailure("key_invalidated", "the key " + key.keyName() + " of connection "
                    + key.connectionId() + " was invalidated and is not created again", null, false));
            return;
        }
        LOG.infof("connection %s has key %s (id %s) already: announcing it again", key.connectionId(),
                key.keyName(), key.keyId());
        registry.recordOutcome(event, announcement(key));
    }

    private void fail(ConnectionRequested event, StepFailure failure) {
        LOG.warnf("connection %s: key creation failed (%s, retryable %s): %s", event.connectionId(), failure.type(),
                failure.retryable(), failure.reason());
        registry.recordOutcome(event,
                new KeyCreationFailed(Outbox.newEventId(), event.connectionId(), now(), failure));
    }

    private KeyCreated announcement(IssuedKey key) {
        return new KeyCreated(Outbox.newEventId(), key.connectionId(), now(), key.keyId(), key.keyName(),
                key.encodedKey());
    }

    private Instant now() {
        return clock.instant();
    }
}

package io.crosslink.trust.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.messaging.IncomingEvents;
import io.crosslink.trust.service.ApiKeyTrustService;
import io.crosslink.trust.service.KeystoreUndoService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code connect-events} (ConnectionRequested; CompensationStarted, RemoteRemoved, RemoteRemovalFailed of
 * the undo chain) and {@code key-events} (KeyCreated) and hands them to the step of the connection's security
 * model or to its undo; other event types are not this service's business. A record that is not a readable event
 * throws, and its channel sends it to the dead-letter topic.
 */
@ApplicationScoped
public class SagaEventsConsumer {
    private static final Logger LOG = Logger.getLogger(SagaEventsConsumer.class);

    private final ApiKeyTrustService apiKeyTrust;
    private final KeystoreUndoService undo;

    public SagaEventsConsumer(ApiKeyTrustService apiKeyTrust, KeystoreUndoService undo) {
        this.apiKeyTrust = apiKeyTrust;
        this.undo = undo;
    }

    @Incoming("connect-events")
    @Blocking
    public void onConnectEvent(ConsumerRecord<String, String> record) {
        ConnectionEvent event = IncomingEvents.decode(record);
        if (event instanceof ConnectionRequested requested) {
            if (requested.request().securityModel() == SecurityModel.API_KEY) {
                apiKeyTrust.handle(requested);
            } else {
                // The TLS-certificate model (trust settings through the Cloud API) is a later issue.
                LOG.warnf("connection %s: security model %s is not supported yet", requested.connectionId(),
                        requested.request().securityModel());
            }
        } else if (event instanceof CompensationStarted started) {
            undo.compensationStarted(started);
        } else if (event instanceof RemoteRemoved || event instanceof RemoteRemovalFailed) {
            // The previous link of the chain, done or not: the keystore entry goes either way.
            undo.removeEntry(event);
        }
    }

    @Incoming("key-events")
    @Blocking
    public void onKeyEvent(ConsumerRecord<String, String> record) {
        ConnectionEvent event = IncomingEvents.decode(record);
        if (event instanceof KeyCreated created) {
            apiKeyTrust.handle(created);
        }
    }
}

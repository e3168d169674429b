package io.crosslink.trust.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.messaging.IncomingEvents;
import io.crosslink.trust.service.ApiKeyTrustService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code connect-events} (ConnectionRequested) and {@code key-events} (KeyCreated) and hands them to the
 * step of the connection's security model; other event types are not this service's business. A record that is
 * not a readable event throws, and its channel sends it to the dead-letter topic.
 */
@ApplicationScoped
public class SagaEventsConsumer {
    private static final Logger LOG = Logger.getLogger(SagaEventsConsumer.class);

    private final ApiKeyTrustService apiKeyTrust;

    public SagaEventsConsumer(ApiKeyTrustService apiKeyTrust) {
        this.apiKeyTrust = apiKeyTrust;
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

package io.crosslink.trust.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.SecurityModel;
import io.crosslink.runtime.logging.ConnectionMdc;
import io.crosslink.runtime.tracing.SagaSpans;
import io.crosslink.runtime.tracing.SpanScope;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.crosslink.trust.service.ApiKeyTrustService;
import io.crosslink.trust.service.CertificateTrustService;
import io.crosslink.trust.service.CertificateUndoService;
import io.crosslink.trust.service.KeystoreUndoService;
import io.crosslink.trust.service.UnreadRequestUndo;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code connect-events} (ConnectionRequested; CompensationStarted, RemoteRemoved, RemoteRemovalFailed of
 * the undo chain) and {@code key-events} (KeyCreated) and hands them to the step of the connection's security
 * model (API key: the keystore; TLS certificate: trust settings) or to its undo; other event types are not this
 * service's business. A record that is not a readable event throws, and its channel sends it to the dead-letter topic;
 * the undo of a connection whose request went there is answered from the model CompensationStarted names.
 *
 * <p>It only records: each call is one short transaction (inbox, the pure state change, the work items the event
 * asks for) and the record is acked at once. Cloud API calls, backoff and plan waits run as work items on the work
 * dispatcher's threads, so no deployment, however slow, holds up these channels.
 */
@ApplicationScoped
public class SagaEventsConsumer {
    private static final Logger LOG = Logger.getLogger(SagaEventsConsumer.class);

    private final ApiKeyTrustService apiKeyTrust;
    /** Each record's span continues the trace of its traceparent header (the sender's outbox sets it). */
    private final SagaSpans spans;
    private final KeystoreUndoService undo;
    private final CertificateTrustService certificateTrust;
    private final CertificateUndoService certificateUndo;
    private final UnreadRequestUndo unreadRequestUndo;

    public SagaEventsConsumer(ApiKeyTrustService apiKeyTrust, KeystoreUndoService undo,
            CertificateTrustService certificateTrust, CertificateUndoService certificateUndo,
            UnreadRequestUndo unreadRequestUndo, SagaSpans spans) {
        this.spans = spans;
        this.apiKeyTrust = apiKeyTrust;
        this.undo = undo;
        this.certificateTrust = certificateTrust;
        this.certificateUndo = certificateUndo;
        this.unreadRequestUndo = unreadRequestUndo;
    }

    @Incoming("connect-events")
    @Blocking
    public void onConnectEvent(ConsumerRecord<String, String> record) {
        try (ConnectionMdc ignored = ConnectionMdc.of(record.key()); SpanScope span = spans.consume(record)) {
            ConnectionEvent event = IncomingEvents.decode(record);
            if (event instanceof ConnectionRequested requested) {
                if (requested.request().securityModel() == SecurityModel.API_KEY) {
                    apiKeyTrust.handle(requested);
                } else if (requested.request().certificateModel()) {
                    certificateTrust.handle(requested);
                } else {
                    LOG.warnf("connection %s: security model %s is not supported", requested.connectionId(),
                            requested.request().securityModel());
                }
            } else if (event instanceof CompensationStarted started) {
                // Both tombstones, and the model of a request never read; the keystore undo records the event in the
                // inbox, so it goes last.
                certificateUndo.compensationStarted(started);
                unreadRequestUndo.compensationStarted(started);
                undo.compensationStarted(started);
            } else if (event instanceof RemoteRemoved || event instanceof RemoteRemovalFailed) {
                // The previous link of the chain, done or not: the keystore entry (API-key model) or the saga's trust
                // (certificate model) goes either way, known from the request (it comes first on the same partition); a
                // request never read here changed nothing and is answered from CompensationStarted's model.
                if (certificateUndo.handles(event.connectionId())) {
                    certificateUndo.removeTrust(event);
                } else if (unreadRequestUndo.handles(event.connectionId())) {
                    unreadRequestUndo.undoAsked(event);
                } else {
                    undo.removeEntry(event);
                }
            }
        }
    }

    @Incoming("key-events")
    @Blocking
    public void onKeyEvent(ConsumerRecord<String, String> record) {
        try (ConnectionMdc ignored = ConnectionMdc.of(record.key()); SpanScope span = spans.consume(record)) {
            ConnectionEvent event = IncomingEvents.decode(record);
            if (event instanceof KeyCreated created) {
                apiKeyTrust.handle(created);
            }
        }
    }
}

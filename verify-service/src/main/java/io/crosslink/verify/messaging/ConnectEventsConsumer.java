package io.crosslink.verify.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.runtime.logging.ConnectionMdc;
import io.crosslink.runtime.tracing.SagaSpans;
import io.crosslink.runtime.tracing.SpanScope;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.crosslink.verify.service.VerificationStep;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code connect-events} and only records, each event in one transaction with its inbox record:
 * ConnectionRequested is remembered, RemoteConnected queues the {@code verify-connection} work item (run later
 * by the work dispatcher, never on this thread), CompensationStarted cancels it. All are keyed by connection id on
 * one topic, so the request always comes first. Other events are someone else's. No Elasticsearch call happens
 * here. A record that is not a readable event fails here and goes to {@code connect-events.dlq}.
 */
@ApplicationScoped
public class ConnectEventsConsumer {
    private final VerificationStep step;
    /** Each record's span continues the trace of its traceparent header (the sender's outbox sets it). */
    private final SagaSpans spans;

    public ConnectEventsConsumer(VerificationStep step, SagaSpans spans) {
        this.step = step;
        this.spans = spans;
    }

    @Incoming("connect-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        try (ConnectionMdc ignored = ConnectionMdc.of(record.key()); SpanScope span = spans.consume(record)) {
            ConnectionEvent event = IncomingEvents.decode(record);
            if (event instanceof ConnectionRequested requested) {
                step.onRequested(requested);
            } else if (event instanceof RemoteConnected connected) {
                step.onRemoteConnected(connected);
            } else if (event instanceof CompensationStarted started) {
                step.onCompensationStarted(started);
            }
        }
    }
}

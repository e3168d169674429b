package io.crosslink.connect.messaging;

import io.crosslink.connect.service.EventFolder;
import io.crosslink.events.EventCodec;
import io.crosslink.runtime.logging.ConnectionMdc;
import io.crosslink.runtime.tracing.SagaSpans;
import io.crosslink.runtime.tracing.SpanScope;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The events of key-service, trust-service and verify-service, folded into status and timeline. A record
 * that is not a readable event ({@code EventCodec.UnreadableEventException}) goes to the topic's dead-letter
 * topic. connect-service's own events are folded in the transaction that emits them, so it does not read
 * connect-events. A failure to apply a readable event (the database away) is retried before the record would
 * be dead-lettered.
 */
@ApplicationScoped
public class SagaEventsConsumer {
    private final EventFolder folder;
    /** Each record's span continues the trace of its traceparent header (the sender's outbox sets it). */
    private final SagaSpans spans;

    public SagaEventsConsumer(EventFolder folder, SagaSpans spans) {
        this.folder = folder;
        this.spans = spans;
    }

    @Incoming("key-events")
    @Blocking
    @Retry(maxRetries = 5, delay = 1000, jitter = 500, abortOn = EventCodec.UnreadableEventException.class)
    public void keyEvents(ConsumerRecord<String, String> record) {
        try (ConnectionMdc ignored = ConnectionMdc.of(record.key()); SpanScope span = spans.consume(record)) {
            folder.apply(IncomingEvents.decode(record));
        }
    }

    @Incoming("trust-events")
    @Blocking
    @Retry(maxRetries = 5, delay = 1000, jitter = 500, abortOn = EventCodec.UnreadableEventException.class)
    public void trustEvents(ConsumerRecord<String, String> record) {
        try (ConnectionMdc ignored = ConnectionMdc.of(record.key()); SpanScope span = spans.consume(record)) {
            folder.apply(IncomingEvents.decode(record));
        }
    }

    @Incoming("verify-events")
    @Blocking
    @Retry(maxRetries = 5, delay = 1000, jitter = 500, abortOn = EventCodec.UnreadableEventException.class)
    public void verifyEvents(ConsumerRecord<String, String> record) {
        try (ConnectionMdc ignored = ConnectionMdc.of(record.key()); SpanScope span = spans.consume(record)) {
            folder.apply(IncomingEvents.decode(record));
        }
    }
}

package io.crosslink.key.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.runtime.logging.ConnectionMdc;
import io.crosslink.runtime.tracing.SagaSpans;
import io.crosslink.runtime.tracing.SpanScope;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.crosslink.key.service.KeyCreationStep;
import io.crosslink.key.service.KeyUndoStep;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code connect-events}: ConnectionRequested starts the key step, CompensationStarted leaves the
 * connection's tombstone; every other event is someone else's. Each event is only recorded, in one transaction
 * with the work it asks for ({@link KeyCreationStep}, {@link KeyUndoStep}), so the record is acknowledged within
 * milliseconds however slowly R answers: no Elastic call and no backoff runs on this thread. A record that is not
 * a readable event fails here and goes to {@code connect-events.dlq}.
 */
@ApplicationScoped
public class ConnectEventsConsumer {
    private final KeyCreationStep step;
    /** Each record's span continues the trace of its traceparent header (the sender's outbox sets it). */
    private final SagaSpans spans;
    private final KeyUndoStep undo;

    public ConnectEventsConsumer(KeyCreationStep step, KeyUndoStep undo, SagaSpans spans) {
        this.step = step;
        this.undo = undo;
        this.spans = spans;
    }

    @Incoming("connect-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        try (ConnectionMdc ignored = ConnectionMdc.of(record.key()); SpanScope span = spans.consume(record)) {
            ConnectionEvent event = IncomingEvents.decode(record);
            if (event instanceof ConnectionRequested requested) {
                step.on(requested);
            } else if (event instanceof CompensationStarted started) {
                undo.onCompensationStarted(started);
            }
        }
    }
}

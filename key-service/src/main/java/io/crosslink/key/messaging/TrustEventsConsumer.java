package io.crosslink.key.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.runtime.logging.ConnectionMdc;
import io.crosslink.runtime.tracing.SagaSpans;
import io.crosslink.runtime.tracing.SpanScope;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.crosslink.key.service.KeyUndoStep;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code trust-events}: the keystore undo is over (KeystoreEntryRemoved, or KeystoreEntryRemovalFailed: the
 * chain goes on either way), so the key undo runs. Other events are someone else's, the certificate model's
 * TrustUpdated / TrustRemoved / TrustRemovalFailed included: that model has no key, and its undo chain ends at
 * trust-service. The undo is only recorded and queued here ({@link KeyUndoStep}); the invalidation on R runs as a
 * work item. A record that is not a readable event fails here and goes to {@code trust-events.dlq}.
 */
@ApplicationScoped
public class TrustEventsConsumer {
    private final KeyUndoStep undo;
    /** Each record's span continues the trace of its traceparent header (the sender's outbox sets it). */
    private final SagaSpans spans;

    public TrustEventsConsumer(KeyUndoStep undo, SagaSpans spans) {
        this.undo = undo;
        this.spans = spans;
    }

    @Incoming("trust-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        try (ConnectionMdc ignored = ConnectionMdc.of(record.key()); SpanScope span = spans.consume(record)) {
            ConnectionEvent event = IncomingEvents.decode(record);
            if (event instanceof KeystoreEntryRemoved || event instanceof KeystoreEntryRemovalFailed) {
                undo.onUndoRequested(event);
            }
        }
    }
}

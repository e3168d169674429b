package io.crosslink.key.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.key.service.KeyUndoStep;
import io.crosslink.key.support.TestEvents;
import io.crosslink.runtime.tracing.SagaSpans;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Which trust-events start the key undo: only the keystore undo's outcome, never the certificate model's events. */
class TrustEventsConsumerTest {
    private final List<ConnectionEvent> undoRequests = new ArrayList<>();
    private final TrustEventsConsumer consumer = new TrustEventsConsumer(new KeyUndoStep(null) {
        @Override
        public void onUndoRequested(ConnectionEvent event) {
            undoRequests.add(event);
        }
    }, SagaSpans.noop());

    @Test
    void certificateModelTrustEventsNeverTriggerTheKeyUndo() {
        String connectionId = TestEvents.newConnectionId();

        consumer.consume(record(TestEvents.trustUpdated(connectionId)));
        consumer.consume(record(TestEvents.trustRemoved(connectionId)));
        consumer.consume(record(TestEvents.trustRemovalFailed(connectionId)));

        assertEquals(List.of(), undoRequests);
    }

    @Test
    void keystoreUndoOutcomesTriggerIt() {
        String connectionId = TestEvents.newConnectionId();
        ConnectionEvent removed = TestEvents.keystoreEntryRemoved(connectionId);
        ConnectionEvent failed = TestEvents.keystoreEntryRemovalFailed(connectionId);

        consumer.consume(record(removed));
        consumer.consume(record(failed));

        assertEquals(List.of(removed, failed), undoRequests);
    }

    private static ConsumerRecord<String, String> record(ConnectionEvent event) {
        return TestEvents.record("trust-events", event);
    }
}

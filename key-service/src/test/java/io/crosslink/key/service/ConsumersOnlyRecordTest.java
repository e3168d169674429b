package io.crosslink.key.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.Topics;
import io.crosslink.key.messaging.ConnectEventsConsumer;
import io.crosslink.key.messaging.TrustEventsConsumer;
import io.crosslink.key.support.TestEvents;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.runtime.tracing.SagaSpans;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The consumers only record: each record is applied in one transaction (inbox, state, work item) and nothing calls
 * Elastic on the consumer thread, however slow R is. The work runs later, on the dispatcher's workers.
 */
class ConsumersOnlyRecordTest {
    private static final String REMOTE = "0b5e55ed12345678abcdef0123456789";

    private final FakeElasticClient elastic = new FakeElasticClient();
    private final InMemoryKeyRegistry registry = new InMemoryKeyRegistry();
    private final KeyUndoStep undo = new KeyUndoStep(registry);
    private final ConnectEventsConsumer connectEvents = new ConnectEventsConsumer(
            new KeyCreationStep(registry, SecretBox.fromBase64(SecretBox.newDataKey())), undo, SagaSpans.noop());
    private final TrustEventsConsumer trustEvents = new TrustEventsConsumer(undo, SagaSpans.noop());
    private final String connectionId = TestEvents.newConnectionId();

    @Test
    void connectionRequestedIsRecordedWithItsWorkItemAndCallsNothing() {
        ConnectionRequested requested = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());

        connectEvents.consume(TestEvents.record(Topics.CONNECT_EVENTS, requested));

        assertEquals(List.of(), elastic.calls, "no Elastic call on the consumer thread");
        assertTrue(registry.inbox.contains(requested.eventId()), "the inbox row");
        assertEquals(REMOTE, registry.connections.get(connectionId).remoteDeploymentId());
        InMemoryKeyRegistry.QueuedWork item = single(registry.work);
        assertEquals(KeyWork.CREATE_KEY, item.kind);
        assertEquals("ess/" + REMOTE, item.deployment);
        assertEquals(requested, item.toWork().event(), "the work carries the event");
        assertEquals(List.of(), registry.outbox, "nothing announced yet");

        connectEvents.consume(TestEvents.record(Topics.CONNECT_EVENTS, TestEvents.again(requested)));
        assertEquals(1, registry.work.size(), "a redelivery queues nothing");
    }

    @Test
    void theUndoIsRecordedWithItsWorkItemAndCallsNothing() {
        connectEvents.consume(TestEvents.record(Topics.CONNECT_EVENTS,
                TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication())));
        CompensationStarted started = TestEvents.compensationStarted(connectionId);
        KeystoreEntryRemoved removed = TestEvents.keystoreEntryRemoved(connectionId);
        KeystoreEntryRemovalFailed removalFailed = TestEvents.keystoreEntryRemovalFailed(connectionId);

        connectEvents.consume(TestEvents.record(Topics.CONNECT_EVENTS, started));
        trustEvents.consume(TestEvents.record(Topics.TRUST_EVENTS, removed));
        trustEvents.consume(TestEvents.record(Topics.TRUST_EVENTS, removalFailed));

        assertEquals(List.of(), elastic.calls);
        for (ConnectionEvent event : List.of(started, removed, removalFailed)) {
            assertTrue(registry.inbox.contains(event.eventId()), event.toString());
        }
        assertTrue(registry.connections.get(connectionId).compensating(), "the tombstone");
        assertTrue(registry.connections.get(connectionId).undoRequested(), "the undo asked for");
        assertEquals(List.of(KeyWork.CREATE_KEY, KeyWork.INVALIDATE_KEYS, KeyWork.INVALIDATE_KEYS),
                registry.work.stream().map(item -> item.kind).toList(), "CompensationStarted queues nothing");
        assertTrue(registry.work.stream().allMatch(item -> item.deployment.equals("ess/" + REMOTE)));
        assertEquals(List.of(), registry.outbox);
    }

    @Test
    void aKeyOnRecordIsAnnouncedAgainByTheConsumerItself() {
        // The first request's work made the key; a later request is answered in its own transaction.
        SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
        WorkRunner work = new WorkRunner(registry, new CreateKeyHandler(registry, new KeyProvisioner(elastic), box,
                KeyCreationStepTest.RETRIES, Clock.systemUTC()));
        connectEvents.consume(TestEvents.record(Topics.CONNECT_EVENTS,
                TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication())));
        work.drain();
        elastic.calls.clear();

        connectEvents.consume(TestEvents.record(Topics.CONNECT_EVENTS,
                TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication())));

        assertEquals(List.of(), elastic.calls);
        assertEquals(1, registry.work.size());
        assertEquals(2, registry.outbox.size());
        assertInstanceOf(KeyCreated.class, registry.outbox.get(1));
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), () -> "expected one: " + items);
        return items.get(0);
    }
}

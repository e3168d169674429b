package io.crosslink.verify.it;

import static io.crosslink.verify.support.TestEvents.compensationStarted;
import static io.crosslink.verify.support.TestEvents.remoteConnected;
import static io.crosslink.verify.support.TestEvents.requested;
import static io.crosslink.verify.support.TestEvents.searchAccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.EventCodec;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.crosslink.runtime.messaging.OutboxMessage;
import io.crosslink.runtime.messaging.ProcessedEvent;
import io.crosslink.runtime.work.WorkItem;
import io.crosslink.runtime.work.WorkState;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.crosslink.verify.domain.Verification;
import io.crosslink.verify.domain.VerificationState;
import io.crosslink.verify.messaging.ConnectEventsConsumer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer only records: on real PostgreSQL, with the work dispatcher switched off so that anything that
 * calls Elasticsearch could only be the consumer itself. L is {@link FlakyElasticsearch}, which counts every call.
 */
@QuarkusTest
@TestProfile(ConnectEventsConsumerTest.RecordOnly.class)
class ConnectEventsConsumerTest {

    /** The dispatcher off; Kafka, PostgreSQL and a counting stand-in for L, nothing else. */
    public static class RecordOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("crosslink.work.enabled", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaTestResource.class),
                    new TestResourceEntry(PostgresTestResource.class, Map.of("database", "verify")),
                    new TestResourceEntry(FlakyElasticsearch.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Inject
    ConnectEventsConsumer consumer;

    private final List<String> connections = new ArrayList<>();

    /** The items stay pending here (no dispatcher): cancelled, so that a later run with one does not take them up. */
    @AfterEach
    void cancelWhatWasQueued() {
        QuarkusTransaction.requiringNew().run(() -> WorkItem.update("state = ?1 where connectionId in ?2 and state = ?3",
                WorkState.CANCELLED, connections, WorkState.PENDING));
    }

    @Test
    void remoteConnectedRecordsAWorkItemAndTheInboxAndCallsNoElasticsearch() {
        String id = UUID.randomUUID().toString();
        ConnectionRequested request = requested(id, "counted", searchAccess("demo-*"), FlakyElasticsearch.DEPLOYMENT_ID);
        RemoteConnected registered = remoteConnected(id, "counted");
        int calls = FlakyElasticsearch.totalCalls();

        consumer.consume(record(request));
        consumer.consume(record(registered));

        WorkItem item = single(id);
        assertEquals("verify-connection", item.kind);
        assertEquals("ece/" + FlakyElasticsearch.DEPLOYMENT_ID, item.deployments, "L's permit: environment/deployment");
        assertEquals(WorkState.PENDING, item.state);
        assertEquals(0, item.attempts);
        assertNull(item.leaseUntil);
        assertEquals(registered.eventId(), EventCodec.decode(item.payloadType, item.payload).eventId());
        assertNotNull(inbox(request.eventId()));
        assertNotNull(inbox(registered.eventId()));
        Verification verification = verification(id);
        assertEquals(VerificationState.PENDING, verification.state);
        assertEquals(registered.eventId(), verification.triggerEventId);
        assertEquals(0, verification.attempts);
        assertEquals(List.of(), outbox(id), "nothing said yet");
        assertEquals(calls, FlakyElasticsearch.totalCalls(), "no Elasticsearch call on the consumer's thread");
    }

    @Test
    void aRedeliveredOrRepeatedRemoteConnectedQueuesNothingMore() {
        String id = UUID.randomUUID().toString();
        RemoteConnected registered = remoteConnected(id, "counted");
        consumer.consume(record(requested(id, "counted", searchAccess("demo-*"), FlakyElasticsearch.DEPLOYMENT_ID)));
        consumer.consume(record(registered));

        consumer.consume(record(registered));

        single(id);
        consumer.consume(record(remoteConnected(id, "counted"))); // registered again while it is being verified
        single(id);
    }

    @Test
    void compensationStartedCancelsTheWorkItemAndTheVerification() {
        String id = UUID.randomUUID().toString();
        consumer.consume(record(requested(id, "counted", searchAccess("demo-*"), FlakyElasticsearch.DEPLOYMENT_ID)));
        consumer.consume(record(remoteConnected(id, "counted")));
        CompensationStarted compensation = compensationStarted(id);

        consumer.consume(record(compensation));

        assertEquals(WorkState.CANCELLED, single(id).state);
        assertEquals(VerificationState.CANCELLED, verification(id).state);
        assertNotNull(inbox(compensation.eventId()));
        assertEquals(List.of(), outbox(id), "a cancelled verification says nothing");
    }

    private ConsumerRecord<String, String> record(ConnectionEvent event) {
        connections.add(event.connectionId());
        ConsumerRecord<String, String> record = new ConsumerRecord<>("connect-events", 0, 0, event.connectionId(),
                EventCodec.encode(event));
        record.headers().add(IncomingEvents.CE_TYPE, event.cloudEventType().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static WorkItem single(String connectionId) {
        List<WorkItem> items = workItems(connectionId);
        assertEquals(1, items.size(), "work items: " + items.size());
        return items.get(0);
    }

    private static List<WorkItem> workItems(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> WorkItem.<WorkItem>list("connectionId = ?1 order by id",
                connectionId));
    }

    private static ProcessedEvent inbox(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ProcessedEvent.<ProcessedEvent>findById(eventId));
    }

    private static Verification verification(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> Verification.<Verification>findById(connectionId));
    }

    private static List<OutboxMessage> outbox(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage>list("recordKey", connectionId));
    }
}

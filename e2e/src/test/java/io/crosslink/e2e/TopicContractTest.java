package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Events;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.KafkaTopics;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario e and the topic contract, over everything the scenarios left on Kafka: every event record (but the
 * poison records {@code PoisonRecordTest} published on purpose) is a CloudEvent (binary mode) of its owner's topic
 * keyed by connection id, and {@code connection-status} holds,
 * for every connection, a last document equal to what {@code GET /api/v1/connections/{id}} answers.
 */
@Order(90)
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicContractTest {
    /** The service that owns (alone writes) each event topic: its CloudEvents source is crosslink/<service>. */
    private static final Map<String, String> OWNERS = Map.of(
            Topics.CONNECT_EVENTS, "connect-service",
            Topics.KEY_EVENTS, "key-service",
            Topics.TRUST_EVENTS, "trust-service",
            Topics.VERIFY_EVENTS, "verify-service");

    private KafkaTopics kafka;
    private ConnectService connect;

    @BeforeAll
    void connectTo(E2eStack stack) {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        kafka = new KafkaTopics(stack.kafkaBootstrapServers());
        connect = new ConnectService(stack.connectUrl());
    }

    @Test
    void everyEventRecordIsACloudEventOfItsOwnersTopicKeyedByConnectionId() {
        int checked = 0;
        for (String topic : Topics.EVENT_TOPICS) {
            for (ConsumerRecord<String, String> record : new Events(kafka).records(topic)) {
                String where = topic + "@" + record.partition() + ":" + record.offset();
                ConnectionEvent event = Events.decode(record);
                assertEquals(event.connectionId(), record.key(), where + ": key");
                assertEquals("1.0", KafkaTopics.header(record, "ce_specversion"), where);
                assertEquals(event.cloudEventType(), KafkaTopics.header(record, "ce_type"), where);
                assertEquals("crosslink/" + OWNERS.get(topic), KafkaTopics.header(record, "ce_source"), where);
                assertEquals(record.key(), KafkaTopics.header(record, "ce_subject"), where);
                assertNotNull(KafkaTopics.header(record, "ce_id"), where);
                assertEquals(topic, Topics.ownerOf(event.getClass()), where + ": " + event.getClass().getSimpleName()
                        + " belongs on " + Topics.ownerOf(event.getClass()));
                checked++;
            }
        }
        assertTrue(checked > 0, "no event records at all: did the scenarios run?");
    }

    @Test
    void theStatusTopicHoldsTheLastDocumentOfEveryConnectionAsGetShowsIt() {
        Map<String, ConsumerRecord<String, String>> last = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : kafka.readAll(Topics.CONNECTION_STATUS)) {
            last.put(record.key(), record);
        }
        Set<String> verified = new Events(kafka).all(Topics.VERIFY_EVENTS).stream()
                .filter(ConnectionVerified.class::isInstance).map(ConnectionEvent::connectionId)
                .collect(Collectors.toSet());
        Set<String> disconnected = new Events(kafka).all(Topics.CONNECT_EVENTS).stream()
                .filter(event -> event instanceof CompensationStarted started && started.cause() == CompensationCause.DISCONNECT)
                .map(ConnectionEvent::connectionId).collect(Collectors.toSet());
        assertFalse(verified.isEmpty(), "no verified connection: did the scenarios run?");
        assertTrue(last.keySet().containsAll(verified), "verified connections without status: " + verified);

        for (ConsumerRecord<String, String> record : last.values()) {
            assertEquals(EventCodec.STATUS_TYPE, KafkaTopics.header(record, "ce_type"), "status record of " + record.key());
            ConnectionDocument published = EventCodec.read(record.value(), ConnectionDocument.class);
            assertEquals(record.key(), published.id());
            Http.Response get = connect.get(record.key());
            assertEquals(200, get.status(), get.toString());
            assertEquals(EventCodec.read(get.body(), ConnectionDocument.class), published,
                    "the last status document of " + record.key() + " differs from GET:\n" + record.value() + "\n" + get.body());
            if (verified.contains(record.key())) {
                assertEquals(disconnected.contains(record.key()) ? ConnectionStatus.DISCONNECTED : ConnectionStatus.VERIFIED,
                        published.status(), "the last status of " + record.key());
            }
        }
        System.out.printf("connection-status: %d connection(s), %d verified; statuses %s%n", last.size(), verified.size(),
                last.values().stream().map(r -> EventCodec.read(r.value(), ConnectionDocument.class).status())
                        .collect(Collectors.groupingBy(s -> s, Collectors.counting())));
    }
}

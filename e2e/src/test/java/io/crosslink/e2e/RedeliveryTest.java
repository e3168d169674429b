package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.ElasticState;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Kafka delivers at least once, in any order across topics: every event record of a VERIFIED connection is
 * delivered twice more, in reverse order, with the same keys and headers. Once every consumer group has read past
 * them, nothing changed: the status document, the Elastic state, and no service emitted an event.
 */
@Order(13)
class RedeliveryTest extends ReliabilityScenario {

    @Test
    void everyEventDeliveredTwiceMoreInReverseOrderChangesNothing() {
        String alias = "e2e-redelivery";
        String id = connect.submit(Requests.demo(alias).toString());
        connect.awaitStatus(id, ConnectionStatus.VERIFIED);

        List<ConsumerRecord<String, String>> originals = new ArrayList<>(events.recordsOf(id));
        Map<String, Long> perTopic = count(originals);
        assertEquals(new TreeSet<>(Topics.EVENT_TOPICS), perTopic.keySet(), "the saga wrote on every event topic");
        JsonNode document = connect.document(id);
        ElasticState elasticBefore = ElasticState.capture(elastic);
        String keyId = elastic.activeApiKeys(E2eStack.REMOTE_ID, "crosslink-" + id).path(0).path("id").asText();

        originals.sort(Comparator.comparing((ConsumerRecord<String, String> r) -> r.timestamp()).reversed());
        List<ProducerRecord<String, String>> again = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (ConsumerRecord<String, String> record : originals) {
                again.add(new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value(),
                        record.headers()));
            }
        }
        long begin = System.nanoTime();
        List<RecordMetadata> written = kafka.publishAll(again);
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (RecordMetadata metadata : written) {
            ends.merge(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset() + 1, Math::max);
        }
        Map<TopicPartition, List<String>> readers = kafka.awaitConsumed(ends, Duration.ofMinutes(2));
        System.out.printf("%d records of connection %s redelivered (%s, twice, in reverse order); every reader past them "
                + "after %d ms: %s%n", again.size(), id, perTopic, since(begin).toMillis(), readers);

        assertEquals(document, connect.document(id), "the status document after the redelivery");
        assertEquals(elasticBefore, ElasticState.capture(elastic), "Elastic after the redelivery");
        assertEquals(List.of(keyId), elastic.activeApiKeys(E2eStack.REMOTE_ID, "crosslink-" + id).findValuesAsText("id"),
                "R's active keys of the connection");
        SagaChecks.localKeystoreHoldsTheCredentials(elastic, alias);
        SagaChecks.localIsConnectedToRemote(elastic, alias);

        Map<String, Long> expected = perTopic.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> 3 * e.getValue(), (a, b) -> a, TreeMap::new));
        assertEquals(expected, count(events.recordsOf(id)), "event records of " + id
                + " (the originals and two copies each, nothing new)");
        for (String topic : Topics.EVENT_TOPICS) {
            assertFalse(kafka.readAll(Topics.deadLetter(topic)).stream().anyMatch(r -> id.equals(r.key())),
                    "a redelivered event of " + id + " went to " + Topics.deadLetter(topic));
        }
    }

    private static Map<String, Long> count(List<ConsumerRecord<String, String>> records) {
        return records.stream().collect(Collectors.groupingBy(ConsumerRecord::topic, TreeMap::new, Collectors.counting()));
    }
}

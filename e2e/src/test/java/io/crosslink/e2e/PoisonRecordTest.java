package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.e2e.support.Events;
import io.crosslink.e2e.support.KafkaTopics;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A poison record (a CloudEvents KeyCreated whose value is not JSON) on every partition of {@code key-events}: each
 * consumer of the topic sends it to {@code key-events.dlq} with the reason in the {@code dead-letter-reason} header
 * (SmallRye's dead-letter queue) and goes on, so a request submitted right after, whose KeyCreated lands behind a
 * poison record whatever its partition, still reaches VERIFIED.
 */
@Order(16)
class PoisonRecordTest extends ReliabilityScenario {
    private static final String REASON_HEADER = "dead-letter-reason";

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndTheConsumersGoOn() {
        String marker = "e2e-poison-" + UUID.randomUUID();
        String value = "{\"eventId\": \"" + marker + "\", \"keyId\": ";
        List<ProducerRecord<String, String>> poison = new ArrayList<>();
        for (int partition = 0; partition < kafka.partitionCount(Topics.KEY_EVENTS); partition++) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.KEY_EVENTS, partition, marker + "-" + partition,
                    value);
            record.headers().add("ce_specversion", bytes("1.0"))
                    .add("ce_type", bytes("crosslink.KeyCreated"))
                    .add("ce_source", bytes("crosslink/e2e"))
                    .add("ce_id", bytes(UUID.randomUUID().toString()))
                    .add(Events.INJECTED_POISON_HEADER, bytes("true"));
            poison.add(record);
        }
        List<RecordMetadata> written = kafka.publishAll(poison);

        long begin = System.nanoTime();
        String id = connect.submit(Requests.demo("e2e-after-poison").toString());
        connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        System.out.printf("request after %d poison record(s) on %s: VERIFIED in %d ms%n", poison.size(), Topics.KEY_EVENTS,
                since(begin).toMillis());

        // Every reader of key-events has read past the poison, and has dead-lettered it.
        Map<TopicPartition, Long> ends = new HashMap<>();
        written.forEach(m -> ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max));
        Map<TopicPartition, List<String>> readers = kafka.awaitConsumed(ends, Duration.ofMinutes(1));
        int groups = readers.values().stream().mapToInt(List::size).min().orElse(0);
        String deadLetters = Topics.deadLetter(Topics.KEY_EVENTS);
        Map<String, List<ConsumerRecord<String, String>>> dead = Poll.until("every poison record on " + deadLetters
                + ", once per reader", () -> {
                    Map<String, List<ConsumerRecord<String, String>>> found = kafka.readAll(deadLetters).stream()
                            .filter(r -> r.key() != null && r.key().startsWith(marker))
                            .collect(Collectors.groupingBy(ConsumerRecord::key));
                    boolean all = poison.stream().allMatch(p -> found.getOrDefault(p.key(), List.of()).size() >= groups);
                    return all ? Optional.of(found) : Optional.empty();
                }, () -> "readers " + readers);
        for (List<ConsumerRecord<String, String>> copies : dead.values()) {
            for (ConsumerRecord<String, String> record : copies) {
                assertEquals(value, record.value(), "the dead letter keeps the record as it was");
                String reason = KafkaTopics.header(record, REASON_HEADER);
                assertTrue(reason != null && !reason.isBlank(), "no " + REASON_HEADER + " header on " + record);
            }
        }
        System.out.printf("%d poison record(s) dead-lettered by each of %s; reason: %s%n", poison.size(), readers.values(),
                KafkaTopics.header(dead.values().iterator().next().get(0), REASON_HEADER));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

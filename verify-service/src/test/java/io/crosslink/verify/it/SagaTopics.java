package io.crosslink.verify.it;

import static org.awaitility.Awaitility.await;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test's side of Kafka: publishes connect-events as connect-service does (CloudEvents binary mode, keyed by
 * connection id) and reads verify-events from the beginning with a group of its own.
 */
final class SagaTopics implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    SagaTopics(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "verify-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.VERIFY_EVENTS));
    }

    void send(ConnectionEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.CONNECT_EVENTS, event.connectionId(),
                EventCodec.encode(event));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", event.eventId());
        header(record, "ce_type", event.cloudEventType());
        header(record, "ce_source", "crosslink/connect-service");
        header(record, "ce_subject", event.connectionId());
        header(record, "content-type", "application/json");
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + event.cloudEventType() + ": " + e.getMessage(), e);
        }
    }

    /** The first verify-events record of the connection. */
    ConsumerRecord<String, String> awaitVerifyEvent(String connectionId, Duration patience) {
        return await().atMost(patience).pollInterval(Duration.ofMillis(100))
                .until(() -> poll(connectionId), Optional::isPresent).orElseThrow();
    }

    /** The verify-events records of the connection seen so far (after one more poll). */
    List<ConsumerRecord<String, String>> verifyEventsSoFar(String connectionId) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().filter(r -> connectionId.equals(r.key())).toList();
    }

    private Optional<ConsumerRecord<String, String>> poll(String connectionId) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().filter(r -> connectionId.equals(r.key())).findFirst();
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}

package io.crosslink.connect.support;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the tests: publish as another service would, read what connect-service wrote. */
public final class KafkaTestClient {
    /** Generous: waiting for asynchronous results on a shared 2-core machine. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private final String bootstrapServers;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Publishes an event as its service does: keyed by connection id, CloudEvents binary-mode headers. */
    public void publish(String topic, ConnectionEvent event) {
        send(topic, event.connectionId(), EventCodec.encode(event), event.cloudEventType());
    }

    public void send(String topic, String key, String value, String ceType) {
        send(topic, key, value, ceType, null, null);
    }

    /**
     * A record on connection-requests as a requester publishes it: with {@link TestTokens#admin()}'s bearer token in
     * its {@code authorization} header.
     */
    public void request(String key, String value) {
        request(key, value, TestTokens.admin());
    }

    /** A record on connection-requests with {@code token} as its bearer token; none (no header) when null. */
    public void request(String key, String value, String token) {
        authorized(key, value, token == null ? null : "Bearer " + token, null);
    }

    /**
     * A record on connection-requests with this {@code authorization} header value (none when null) and timestamp
     * (the producer's clock when null).
     */
    public void authorized(String key, String value, String authorization, Instant timestamp) {
        send(io.crosslink.events.Topics.CONNECTION_REQUESTS, key, value, null, authorization, timestamp);
    }

    private void send(String topic, String key, String value, String ceType, String authorization, Instant timestamp) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, null,
                    timestamp == null ? null : timestamp.toEpochMilli(), key, value);
            if (authorization != null) {
                record.headers().add(header("authorization", authorization));
            }
            if (ceType != null) {
                record.headers().add(header("ce_specversion", "1.0"));
                record.headers().add(header("ce_id", UUID.randomUUID().toString()));
                record.headers().add(header("ce_type", ceType));
                record.headers().add(header("ce_source", "crosslink/test"));
                if (key != null) {
                    record.headers().add(header("ce_subject", key));
                }
            }
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** Reads the topic from the start until a record matches, or fails after {@link #WAIT}. */
    public ConsumerRecord<String, String> await(String topic, Predicate<ConsumerRecord<String, String>> matches) {
        return awaitAll(topic, matches, 1).get(0);
    }

    /** Reads the topic from the start until {@code count} records match (all of them from that read). */
    public List<ConsumerRecord<String, String>> awaitAll(String topic, Predicate<ConsumerRecord<String, String>> matches,
            int count) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(WAIT);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (matches.test(record)) {
                        found.add(record);
                    }
                }
                if (found.size() >= count) {
                    return found;
                }
            }
        }
        throw new AssertionError("found " + found.size() + " of " + count + " expected records on " + topic
                + " within " + WAIT.toSeconds() + " s");
    }

    /** Waits for {@code count} events of this type of the connection on connect-events; returns them in order. */
    public <T extends ConnectionEvent> List<T> awaitEvents(String connectionId, Class<T> type, int count) {
        String ceType = EventCodec.cloudEventType(type);
        return awaitAll(io.crosslink.events.Topics.CONNECT_EVENTS, r -> connectionId.equals(r.key())
                && ceType.equals(header(r, "ce_type").orElse(null)), count).stream()
                .map(r -> type.cast(EventCodec.decode(ceType, r.value()))).toList();
    }

    /** The first event of this type of the connection on connect-events. */
    public <T extends ConnectionEvent> T awaitEvent(String connectionId, Class<T> type) {
        return awaitEvents(connectionId, type, 1).get(0);
    }

    public static Optional<String> header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** A consumer of its own group, from the earliest offset, committing nothing. */
    public KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

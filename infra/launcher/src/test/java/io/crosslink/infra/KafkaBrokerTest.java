package io.crosslink.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void producesAndConsumesThenStops() throws Exception {
        ProcessReaper reaper = ProcessReaper.forStack("test-launcher-kafka");
        Path workDir = Path.of("target", "kafka-broker-test");
        long begin = System.nanoTime();
        KafkaBroker broker = KafkaBroker.start(workDir, "127.0.0.1", 0, false, reaper);
        long pid = broker.pid();
        try {
            System.out.printf("broker %s ready after %d ms, RSS %s%n", broker.bootstrapServers(),
                    (System.nanoTime() - begin) / 1_000_000, rss(pid));
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"));
            String topic = "crosslink-test-" + UUID.randomUUID();

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "the-key", "the-value")).get();
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "test-group",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                ConsumerRecord<String, String> received = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (received == null && System.nanoTime() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, String> record : records) {
                        received = record;
                    }
                }
                assertTrue(received != null, "no record consumed");
                assertEquals("the-key", received.key());
                assertEquals("the-value", received.value());
                consumer.commitSync();
            }
            System.out.printf("round trip done after %d ms, RSS %s%n", (System.nanoTime() - begin) / 1_000_000, rss(pid));
        } finally {
            long stopBegin = System.nanoTime();
            broker.stop();
            System.out.printf("stopped in %d ms%n", (System.nanoTime() - stopBegin) / 1_000_000);
        }
        assertFalse(KafkaBrokerTest.running(pid), "broker process still alive");
        broker.stop(); // idempotent
    }

    /** Exists and is no zombie (PID 1 of some containers reaps orphans late). */
    static boolean running(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static String rss(long pid) {
        try {
            return java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("?").replaceAll("\\s+", " ");
        } catch (Exception e) {
            return "?";
        }
    }
}

package io.crosslink.e2e.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes to and reads whole topics of the stack's broker, as another system would (no consumer group). */
public final class KafkaTopics {
    private final String bootstrapServers;

    public KafkaTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Publishes one record and waits for the broker's acknowledgement. */
    public void publish(String topic, String key, String value) {
        publishAll(List.of(new ProducerRecord<>(topic, key, value)));
    }

    /**
     * Publishes the records in this order, each acknowledged before the next is sent (headers and explicit
     * partitions as the records say). Returns where each went.
     */
    public List<RecordMetadata> publishAll(List<ProducerRecord<String, String>> records) {
        List<RecordMetadata> written = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (ProducerRecord<String, String> record : records) {
                Future<RecordMetadata> sent = producer.send(record);
                written.add(sent.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return written;
    }

    /** How many partitions the topic has. */
    public int partitionCount(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                throw new AssertionError("topic " + topic + " does not exist");
            }
            return partitions.size();
        }
    }

    /**
     * Waits until every consumer group that reads these partitions (has committed an offset on one) has committed
     * past {@code endOffsets}, i.e. has handled every record written before them. Each partition must have at least
     * one such group. Returns the groups seen per partition.
     */
    public Map<TopicPartition, List<String>> awaitConsumed(Map<TopicPartition, Long> endOffsets, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<String, String> lastLag = new LinkedHashMap<>();
            return Poll.until("every consumer group to pass " + endOffsets, timeout, () -> {
                lastLag.clear();
                Map<TopicPartition, List<String>> readers = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
                boolean behind = false;
                for (String group : groups(admin)) {
                    Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, group);
                    for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
                        OffsetAndMetadata offset = committed.get(end.getKey());
                        if (offset == null) {
                            continue;
                        }
                        readers.computeIfAbsent(end.getKey(), p -> new ArrayList<>()).add(group);
                        if (offset.offset() < end.getValue()) {
                            behind = true;
                            lastLag.put(group + "@" + end.getKey(), offset.offset() + " < " + end.getValue());
                        }
                    }
                }
                boolean everyPartitionRead = readers.keySet().containsAll(endOffsets.keySet());
                if (!everyPartitionRead) {
                    lastLag.put("unread partitions", endOffsets.keySet().toString() + " read: " + readers.keySet());
                }
                return behind || !everyPartitionRead ? Optional.empty() : Optional.of(readers);
            }, lastLag::toString);
        }
    }

    private static Collection<String> groups(Admin admin) {
        try {
            return admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get().stream().map(GroupListing::groupId).toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list consumer groups: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((partition, offset) -> {
                if (offset != null) {
                    offsets.put(partition, offset);
                }
            });
            return offsets;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of " + group + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every record of the topic, from the beginning up to its end at the time of the call (empty if it does not exist). */
    public List<ConsumerRecord<String, String>> readAll(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            if (partitions == null || partitions.isEmpty()) {
                return records;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (assigned.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end + " within 60 s");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                });
            }
            return records;
        }
    }

    /** The topics of the broker, without Kafka's internal ones. */
    public Set<String> topics() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            Set<String> topics = new TreeSet<>(consumer.listTopics(Duration.ofSeconds(30)).keySet());
            topics.removeIf(topic -> topic.startsWith("__"));
            return topics;
        }
    }

    /** The value of a header as UTF-8 text, or null. */
    public static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                // read_uncommitted (the default): the secret scan must see every record, even aborted ones.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
    }
}

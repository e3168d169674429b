package io.crosslink.e2e.support;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The saga's events as they are on Kafka. */
public final class Events {
    /**
     * Header of the unreadable records the suite publishes on purpose (poison records): they are not events, and
     * the checks over every event of a topic leave them out.
     */
    public static final String INJECTED_POISON_HEADER = "e2e-poison";

    private final KafkaTopics kafka;

    public Events(KafkaTopics kafka) {
        this.kafka = kafka;
    }

    /** Every event of one event topic, decoded from its CloudEvents type header and JSON value. */
    public List<ConnectionEvent> all(String topic) {
        return records(topic).stream().map(Events::decode).toList();
    }

    /** Every event record of one event topic, without the suite's poison records. */
    public List<ConsumerRecord<String, String>> records(String topic) {
        return kafka.readAll(topic).stream().filter(record -> !isInjectedPoison(record)).toList();
    }

    /** The event records of one connection on the four event topics, topic by topic, each in offset order. */
    public List<ConsumerRecord<String, String>> recordsOf(String connectionId) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (String topic : Topics.EVENT_TOPICS) {
            records(topic).stream().filter(record -> connectionId.equals(record.key())).forEach(records::add);
        }
        return records;
    }

    /** The events of one connection on the four event topics, topic by topic. */
    public List<ConnectionEvent> of(String connectionId) {
        return recordsOf(connectionId).stream().map(Events::decode).toList();
    }

    /** The one event of this type for this connection, if it was published. */
    public <T extends ConnectionEvent> Optional<T> find(Class<T> type, String connectionId) {
        List<T> found = all(Topics.ownerOf(type)).stream()
                .filter(type::isInstance).map(type::cast)
                .filter(event -> event.connectionId().equals(connectionId))
                .toList();
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " " + type.getSimpleName() + " events for connection " + connectionId);
        }
        return found.stream().findFirst();
    }

    /** Every event of this type for this connection. */
    public <T extends ConnectionEvent> List<T> findAll(Class<T> type, String connectionId) {
        return all(Topics.ownerOf(type)).stream()
                .filter(type::isInstance).map(type::cast)
                .filter(event -> event.connectionId().equals(connectionId))
                .toList();
    }

    public static ConnectionEvent decode(ConsumerRecord<String, String> record) {
        return EventCodec.decode(KafkaTopics.header(record, "ce_type"), record.value());
    }

    public static boolean isInjectedPoison(ConsumerRecord<String, String> record) {
        return record.headers().lastHeader(INJECTED_POISON_HEADER) != null;
    }
}

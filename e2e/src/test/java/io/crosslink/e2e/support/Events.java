package io.crosslink.e2e.support;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The saga's events as they are on Kafka. */
public final class Events {
    private final KafkaTopics kafka;

    public Events(KafkaTopics kafka) {
        this.kafka = kafka;
    }

    /** Every event of one event topic, decoded from its CloudEvents type header and JSON value. */
    public List<ConnectionEvent> all(String topic) {
        return kafka.readAll(topic).stream().map(Events::decode).toList();
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

    public static ConnectionEvent decode(ConsumerRecord<String, String> record) {
        return EventCodec.decode(KafkaTopics.header(record, "ce_type"), record.value());
    }
}

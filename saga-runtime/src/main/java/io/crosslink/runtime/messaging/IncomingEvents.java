package io.crosslink.runtime.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reads events from Kafka records: the type from the CloudEvents {@code ce_type} header, the body as JSON. */
public final class IncomingEvents {
    public static final String CE_TYPE = "ce_type";

    private IncomingEvents() {
    }

    /** The event, or {@link EventCodec.UnreadableEventException} for the dead-letter topic. */
    public static ConnectionEvent decode(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(CE_TYPE);
        ConnectionEvent event = EventCodec.decode(
                type == null ? null : new String(type.value(), StandardCharsets.UTF_8), record.value());
        if (record.key() != null && !record.key().equals(event.connectionId())) {
            throw new EventCodec.UnreadableEventException("record key " + record.key()
                    + " is not the connection id of the event");
        }
        return event;
    }

    /** The CloudEvents type of a record, or null. */
    public static String type(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(CE_TYPE);
        return type == null ? null : new String(type.value(), StandardCharsets.UTF_8);
    }
}

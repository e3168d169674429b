package io.crosslink.runtime.messaging;

import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import io.crosslink.runtime.tracing.Traceparent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Queues records in the caller's transaction; {@link OutboxRelay} publishes them once it commits. An event
 * goes to the topic of its type ({@link Topics#ownerOf}); a status document to {@code connection-status}. Each row keeps
 * the traceparent of the span that wrote it, so the records continue the saga's trace.
 */
@ApplicationScoped
public class Outbox {
    @Inject
    Event<OutboxRelay.Written> written;

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(ConnectionEvent event) {
        add(event.eventId(), Topics.ownerOf(event.getClass()), event.connectionId(), event.cloudEventType(),
                EventCodec.encode(event));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publishStatus(ConnectionDocument document) {
        add(UUID.randomUUID().toString(), Topics.CONNECTION_STATUS, document.id(), EventCodec.STATUS_TYPE,
                EventCodec.encode(document));
    }

    private void add(String messageId, String topic, String key, String type, String payload) {
        OutboxMessage message = new OutboxMessage();
        message.messageId = messageId;
        message.topic = topic;
        message.recordKey = key;
        message.ceType = type;
        message.payload = payload;
        message.createdAt = Instant.now();
        message.traceparent = Traceparent.current();
        message.persist();
        written.fire(new OutboxRelay.Written());
    }

    /** A new event id. */
    public static String newEventId() {
        return UUID.randomUUID().toString();
    }
}

package io.crosslink.runtime.messaging;

import io.crosslink.events.ConnectionEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * The ids of the events a service has applied. A consumer checks {@link #seen} before acting and calls
 * {@link #record} in the same transaction as the effect, so a redelivered event changes nothing.
 */
@ApplicationScoped
public class Inbox {

    public boolean seen(String eventId) {
        return ProcessedEvent.findById(eventId) != null;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(ConnectionEvent event) {
        ProcessedEvent processed = new ProcessedEvent();
        processed.eventId = event.eventId();
        processed.ceType = event.cloudEventType();
        processed.processedAt = Instant.now();
        processed.persist();
    }
}

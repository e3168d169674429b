package io.crosslink.verify.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.runtime.messaging.Inbox;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.verify.service.EventLedger;
import jakarta.enterprise.context.ApplicationScoped;

/** {@link EventLedger} on the shared transactional inbox and outbox. */
@ApplicationScoped
public class OutboxEventLedger implements EventLedger {
    private final Inbox inbox;
    private final Outbox outbox;

    public OutboxEventLedger(Inbox inbox, Outbox outbox) {
        this.inbox = inbox;
        this.outbox = outbox;
    }

    @Override
    public boolean seen(String eventId) {
        return inbox.seen(eventId);
    }

    @Override
    public void record(ConnectionEvent event) {
        inbox.record(event);
    }

    @Override
    public void publish(ConnectionEvent event) {
        outbox.publish(event);
    }
}

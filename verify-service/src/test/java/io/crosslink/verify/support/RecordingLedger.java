package io.crosslink.verify.support;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.verify.service.EventLedger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Inbox and outbox in memory: what was recorded and what was published. */
public final class RecordingLedger implements EventLedger {
    public final Set<String> processed = new LinkedHashSet<>();
    public final List<ConnectionEvent> published = new ArrayList<>();

    @Override
    public boolean seen(String eventId) {
        return processed.contains(eventId);
    }

    @Override
    public void record(ConnectionEvent event) {
        if (!processed.add(event.eventId())) {
            throw new AssertionError("event " + event.eventId() + " recorded twice (the inbox's primary key would refuse it)");
        }
    }

    @Override
    public void publish(ConnectionEvent event) {
        published.add(event);
    }
}

package io.crosslink.verify.service;

import io.crosslink.events.ConnectionEvent;

/**
 * The inbox and the outbox, as the step logic sees them: called inside the transaction that changes state, so
 * the state, the processed event and the emitted event commit together.
 */
public interface EventLedger {

    /** Whether this event was applied already (a redelivery). */
    boolean seen(String eventId);

    /** Marks the event applied. */
    void record(ConnectionEvent event);

    /** Queues an event for its topic. */
    void publish(ConnectionEvent event);
}

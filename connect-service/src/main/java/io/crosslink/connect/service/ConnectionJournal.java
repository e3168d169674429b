package io.crosslink.connect.service;

import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.domain.StatusFolding;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * Every change of a connection goes through here, inside the caller's transaction: the events it announces
 * (when this service emits them) are queued in the outbox with the change itself, and {@link #publish} queues
 * the status document once the transaction's changes are all folded in (one document per change, never an
 * intermediate state).
 */
@ApplicationScoped
public class ConnectionJournal {
    private final Outbox outbox;
    private final Event<WorkQueued> workQueued;

    public ConnectionJournal(Outbox outbox, Event<WorkQueued> workQueued) {
        this.outbox = outbox;
        this.workQueued = workQueued;
    }

    /** Emits an event of this service and folds it into the connection. */
    @Transactional(Transactional.TxType.MANDATORY)
    public StatusFolding.Folded emit(Connection connection, ConnectionEvent event) {
        outbox.publish(event);
        return fold(connection, event);
    }

    /** Folds an event (of any service) into the connection. */
    @Transactional(Transactional.TxType.MANDATORY)
    public StatusFolding.Folded fold(Connection connection, ConnectionEvent event) {
        return connection.apply(event);
    }

    /** Stores the connection and publishes its document on connection-status. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(Connection connection) {
        connection.persist();
        outbox.publishStatus(connection.document());
    }

    /** Publishes the document of a new connection. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void created(Connection connection) {
        publish(connection);
    }

    /** Schedules background work; the worker wakes after the commit. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void schedule(Connection connection, PendingWork work) {
        connection.schedule(work);
        workQueued.fire(new WorkQueued());
    }
}

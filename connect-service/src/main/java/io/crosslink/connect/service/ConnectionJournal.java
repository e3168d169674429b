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
 * Every change of a connection goes through here, inside the caller's transaction: the event it announces
 * (when this service emits it) and the new status document are queued in the outbox with the change itself.
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

    /** Folds an event (of any service) into the connection and publishes the new document. */
    @Transactional(Transactional.TxType.MANDATORY)
    public StatusFolding.Folded fold(Connection connection, ConnectionEvent event) {
        StatusFolding.Folded folded = connection.apply(event);
        connection.persist();
        outbox.publishStatus(connection.document());
        return folded;
    }

    /** Publishes the document of a new connection. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void created(Connection connection) {
        connection.persist();
        outbox.publishStatus(connection.document());
    }

    /** Schedules background work; the worker wakes after the commit. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void schedule(Connection connection, PendingWork work) {
        connection.schedule(work);
        workQueued.fire(new WorkQueued());
    }
}

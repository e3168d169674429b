package io.crosslink.connect.service;

import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.domain.StatusFolding;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.StepFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Starts the undo chain of a connection, inside the caller's transaction (the one that folds the failure, runs
 * the DELETE or finds the deadline passed): CompensationStarted, then connect-service's own undo. Forward work
 * still pending (checks, a registration not yet sent) is cancelled: that is the tombstone, nothing forward is
 * scheduled for a compensating connection. The remote is removed from L when a registration was attempted
 * ({@link Connection#remoteTouched}, set before its request goes out): the removal is scheduled and runs after
 * any registration still in flight (the work mechanism never overlaps two items of a connection). Otherwise nothing can
 * be registered, and RemoteRemoved(removed=false) follows at once, so trust-service takes the next link.
 */
@ApplicationScoped
public class Compensations {
    private static final Logger LOG = Logger.getLogger(Compensations.class);

    private final ConnectionJournal journal;
    private final Duration undoDeadline;

    public Compensations(ConnectionJournal journal, ConnectConfig config) {
        this.journal = journal;
        this.undoDeadline = config.saga().undoDeadline();
    }

    /** After folding an event: a failed step of a connection in flight starts compensation (cause failure). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterFold(Connection connection, ConnectionEvent event, StatusFolding.Folded folded) {
        if (folded.startsCompensation() && event instanceof StepFailed failed) {
            start(connection, CompensationCause.FAILURE, failed.failure());
        }
    }

    /**
     * Starts compensating; false (nothing done) when the connection's status allows none (a chain runs already,
     * or it ended COMPENSATED, DISCONNECTED or REJECTED). The caller publishes the document.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean start(Connection connection, CompensationCause cause, StepFailure failure) {
        if (!StatusFolding.compensable(connection.status)) {
            return false;
        }
        connection.done();
        connection.undoStartedAt = Connection.now();
        // A new run: its id is the event's, its deadline the one SagaDeadline enforces; every answer carries both.
        String eventId = Outbox.newEventId();
        UndoChain chain = new UndoChain(eventId, connection.undoStartedAt.plus(undoDeadline));
        journal.emit(connection, new CompensationStarted(eventId, connection.id, connection.undoStartedAt, cause, failure,
                chain, connection.securityModel()));
        LOG.infof("connection %s: compensation started (%s) -> %s", connection.id, StatusFolding.causeName(cause),
                connection.status);
        if (!connection.sagaStarted()) {
            return true;
        }
        if (connection.remoteTouched) {
            journal.schedule(connection, PendingWork.REMOVE_REMOTE);
        } else {
            journal.emit(connection, new RemoteRemoved(Outbox.newEventId(), connection.id, Connection.now(),
                    connection.alias, false, null, chain));
        }
        return true;
    }
}

package io.crosslink.connect.service;

import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Compensation;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.StatusFolding;
import io.crosslink.events.Certainty;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionEvent.UndoDeadlinePassed;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Violation;
import io.crosslink.runtime.messaging.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The saga's deadline ({@code crosslink.saga.deadline}, from acceptance): a durable scan of the database (so a
 * restart loses no deadline) for connections still in flight past it. One that started its saga is compensated
 * (cause deadline); one still in its Cloud API checks never changed anything on Elastic and is REJECTED (field
 * {@code deadline}), as checks that cannot complete are. An undo chain still running
 * {@code crosslink.saga.undo-deadline} after its start ends FAILED (UndoDeadlinePassed): the links that never
 * reported are possible leftovers.
 */
@ApplicationScoped
public class SagaDeadline {
    private static final Logger LOG = Logger.getLogger(SagaDeadline.class);
    private static final int BATCH = 20;

    private final ConnectionJournal journal;
    private final Compensations compensations;
    private final Duration deadline;
    private final Duration undoDeadline;

    public SagaDeadline(ConnectionJournal journal, Compensations compensations, ConnectConfig config) {
        this.journal = journal;
        this.compensations = compensations;
        this.deadline = config.saga().deadline();
        this.undoDeadline = config.saga().undoDeadline();
    }

    /** Ends the oldest overdue connections (a batch per call: the worker calls it every poll interval). */
    public void expireOverdue() {
        Instant cutoff = Connection.now().minus(deadline);
        List<String> overdue = QuarkusTransaction.requiringNew().call(() -> Connection.overdue(cutoff, BATCH));
        overdue.forEach(id -> QuarkusTransaction.requiringNew().run(() -> expire(id, cutoff)));
        Instant undoCutoff = Connection.now().minus(undoDeadline);
        List<String> undoOverdue = QuarkusTransaction.requiringNew()
                .call(() -> Connection.undoOverdue(undoCutoff, BATCH));
        undoOverdue.forEach(id -> QuarkusTransaction.requiringNew().run(() -> endUndo(id, undoCutoff)));
    }

    /** Ends an undo chain past its deadline: the links still silent are named, the connection folds to FAILED. */
    private void endUndo(String connectionId, Instant cutoff) {
        Connection connection = Connection.lockedById(connectionId);
        if (connection == null || !StatusFolding.compensating(connection.status) || connection.undoStartedAt == null
                || connection.undoStartedAt.isAfter(cutoff) || connection.compensation().isEmpty()) {
            return;
        }
        Compensation chain = connection.compensation().get();
        List<String> waiting = chain.waitingFor();
        connection.done(); // a removal still retrying has nothing left to report to
        journal.emit(connection, new UndoDeadlinePassed(Outbox.newEventId(), connection.id, Connection.now(),
                new StepFailure("undo_deadline", "no report from " + String.join(", ", waiting) + " within "
                        + undoDeadline + " of the undo's start (crosslink.saga.undo-deadline)", null, true),
                Certainty.POSSIBLE, waiting, chain.chain()));
        journal.publish(connection);
        LOG.warnf("connection %s: undo deadline of %s passed waiting for %s -> %s", connection.id, undoDeadline,
                waiting, connection.status);
    }

    private void expire(String connectionId, Instant cutoff) {
        Connection connection = Connection.lockedById(connectionId);
        if (connection == null || !StatusFolding.inFlight(connection.status) || connection.createdAt.isAfter(cutoff)) {
            return;
        }
        if (connection.sagaStarted() || connection.status != ConnectionStatus.REQUESTED) {
            compensations.start(connection, CompensationCause.DEADLINE, null);
        } else {
            connection.done();
            journal.emit(connection, new ConnectionRejected(Outbox.newEventId(), connection.id, Connection.now(),
                    List.of(new Violation("deadline", "the checks against the Cloud API did not complete within "
                            + deadline + " (crosslink.saga.deadline)"))));
        }
        journal.publish(connection);
        LOG.infof("connection %s: deadline of %s passed -> %s", connection.id, deadline, connection.status);
    }
}

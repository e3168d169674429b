package io.crosslink.connect.service;

import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.domain.StatusFolding;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every change of a connection goes through here, inside the caller's transaction: the events it announces
 * (when this service emits them) are queued in the outbox with the change itself, and {@link #publish} queues
 * the status document once the transaction's changes are all folded in (one document per change, never an
 * intermediate state).
 */
@ApplicationScoped
public class ConnectionJournal {
    /** The work kinds of every step: a new step replaces whichever of them is still pending. */
    private static final List<String> STEP_KINDS = Arrays.stream(PendingWork.values()).map(PendingWork::kind).toList();

    private final Outbox outbox;
    private final WorkQueue work;
    private final Event<SagaMetrics.Ended> sagaEnded;

    public ConnectionJournal(Outbox outbox, WorkQueue work, Event<SagaMetrics.Ended> sagaEnded) {
        this.outbox = outbox;
        this.work = work;
        this.sagaEnded = sagaEnded;
    }

    /** Emits an event of this service and folds it into the connection. */
    @Transactional(Transactional.TxType.MANDATORY)
    public StatusFolding.Folded emit(Connection connection, ConnectionEvent event) {
        outbox.publish(event);
        return fold(connection, event);
    }

    /** Folds an event (of any service) into the connection; one that ends its saga has its duration recorded. */
    @Transactional(Transactional.TxType.MANDATORY)
    public StatusFolding.Folded fold(Connection connection, ConnectionEvent event) {
        StatusFolding.State before = connection.state();
        StatusFolding.Folded folded = connection.apply(event);
        if (StatusFolding.endsSaga(before, folded.state())) {
            sagaEnded.fire(new SagaMetrics.Ended(connection.securityModel(), folded.status(),
                    Duration.between(connection.createdAt, Connection.now())));
        }
        return folded;
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

    /**
     * Schedules a step as a work item, committed with the change that asked for it. Steps it replaces are
     * cancelled (a removal replaces a registration not yet sent); one running now finishes first, since a
     * connection's items never overlap, and then finds the connection no longer waiting for it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void schedule(Connection connection, PendingWork step) {
        work.cancel(connection.id, STEP_KINDS);
        connection.schedule(step);
        work.enqueue(step.kind(), connection.id, deployments(connection, step), "connect-step", step.name());
    }

    /** The checks read both deployments from the Cloud API; the other steps write L only. */
    private static List<String> deployments(Connection connection, PendingWork step) {
        ConnectionRequest request = connection.request();
        List<String> deployments = new ArrayList<>();
        if (request.local() != null) {
            deployments.add(WorkQueue.deployment(request.local().environment(), request.local().deploymentId()));
        }
        if (step == PendingWork.CHECKS && request.remote() != null) {
            deployments.add(WorkQueue.deployment(request.remote().environment(), request.remote().deploymentId()));
        }
        return deployments.isEmpty() ? List.of(WorkQueue.deployment("unknown", connection.id)) : deployments;
    }
}

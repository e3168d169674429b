package io.crosslink.verify.service;

import io.crosslink.events.ConnectionEvent;
import java.util.Collection;

/**
 * The durable work queue (saga-runtime's {@code work_item}), as the step logic sees it: called inside the
 * transaction that changes state, so the work exists exactly when the state change that asked for it committed.
 */
public interface WorkItems {

    /** Queues work of {@code kind} that {@code cause} asked for, calling {@code deployments} ({@code <environment>/<id>}). */
    void enqueue(String kind, ConnectionEvent cause, Collection<String> deployments);

    /** Cancels the connection's pending items of {@code kind}; a run in flight finishes (and must find out). */
    void cancel(String connectionId, String kind);
}

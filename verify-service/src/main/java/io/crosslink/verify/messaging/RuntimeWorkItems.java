package io.crosslink.verify.messaging;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.runtime.work.WorkQueue;
import io.crosslink.verify.service.WorkItems;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;

/** {@link WorkItems} on saga-runtime's {@link WorkQueue}: the dispatcher runs the items after the commit. */
@ApplicationScoped
public class RuntimeWorkItems implements WorkItems {
    private final WorkQueue queue;

    public RuntimeWorkItems(WorkQueue queue) {
        this.queue = queue;
    }

    @Override
    public void enqueue(String kind, ConnectionEvent cause, Collection<String> deployments) {
        queue.enqueue(kind, cause, deployments);
    }

    @Override
    public void cancel(String connectionId, String kind) {
        queue.cancel(connectionId, kind);
    }
}

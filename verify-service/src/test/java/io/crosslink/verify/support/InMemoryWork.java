package io.crosslink.verify.support;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.EventCodec;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.runtime.work.WorkState;
import io.crosslink.verify.service.WorkItems;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The work queue without a database, and a dispatcher the test drives by hand ({@link #runDue}): items become due
 * by the test's clock, a parked item is due again after its delay, a done one never runs again, and a cancelled
 * one stays cancelled even when a run in flight finishes. (Permits, leases and claiming are saga-runtime's and
 * tested there.)
 */
public final class InMemoryWork implements WorkItems {
    private final Clock clock;
    public final List<Item> items = new ArrayList<>();

    public InMemoryWork(Clock clock) {
        this.clock = clock;
    }

    /** One work item as the runtime's {@code work_item} row has it. */
    public static final class Item {
        public long id;
        public String kind;
        public String connectionId;
        public List<String> deployments;
        public String payloadType;
        public String payload;
        public WorkState state;
        public Instant dueAt;
        public int attempts;
        public String lastError;
        public Instant createdAt;

        public Work work() {
            return new Work(id, kind, connectionId, deployments, payloadType, payload, Optional.empty(), attempts,
                    createdAt);
        }
    }

    @Override
    public void enqueue(String kind, ConnectionEvent cause, Collection<String> deployments) {
        Item item = new Item();
        item.id = items.size() + 1;
        item.kind = kind;
        item.connectionId = cause.connectionId();
        item.deployments = List.copyOf(new TreeSet<>(deployments));
        item.payloadType = cause.cloudEventType();
        item.payload = EventCodec.encode(cause);
        item.state = WorkState.PENDING;
        item.createdAt = clock.instant();
        item.dueAt = item.createdAt;
        items.add(item);
    }

    @Override
    public void cancel(String connectionId, String kind) {
        items.stream().filter(i -> i.connectionId.equals(connectionId) && i.kind.equals(kind)
                && i.state == WorkState.PENDING).forEach(i -> i.state = WorkState.CANCELLED);
    }

    /** Runs every pending item that is due now once, as the dispatcher would; returns how many ran. */
    public int runDue(WorkHandler handler) {
        Instant now = clock.instant();
        List<Item> due = items.stream().filter(i -> i.state == WorkState.PENDING && !i.dueAt.isAfter(now)).toList();
        due.forEach(item -> run(item, handler));
        return due.size();
    }

    /** One run of {@code item}, due or not, recorded as the dispatcher records it; the handler's result. */
    public WorkResult run(Item item, WorkHandler handler) {
        WorkResult result = handler.run(item.work());
        item.attempts++;
        if (result instanceof WorkResult.Park park) {
            if (item.state == WorkState.PENDING) {
                item.dueAt = clock.instant().plus(park.delay());
            }
            item.lastError = park.reason();
        } else if (item.state == WorkState.PENDING) {
            item.state = WorkState.DONE;
        }
        return result;
    }

    /** The connection's items, oldest first. */
    public List<Item> of(String connectionId) {
        return items.stream().filter(i -> i.connectionId.equals(connectionId)).toList();
    }

    /** The connection's only item. */
    public Item item(String connectionId) {
        List<Item> found = of(connectionId);
        if (found.size() != 1) {
            throw new AssertionError("connection " + connectionId + " has " + found.size() + " work items: " + found);
        }
        return found.get(0);
    }
}

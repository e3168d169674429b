package io.crosslink.key.service;

import io.crosslink.runtime.work.WorkHandler;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.testsupport.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dispatcher, for tests without a database: runs the registry's pending work items with their handlers, one
 * at a time, and records what each run said. A parked item runs again at once (the delay is recorded, not waited;
 * with a {@link MutableClock}, time moves on by it, as if waited).
 */
final class WorkRunner {
    private static final int MAX_RUNS = 200;

    private final InMemoryKeyRegistry registry;
    private final Map<String, WorkHandler> handlers = new HashMap<>();
    private final MutableClock clock;
    /** Every park, in order. */
    final List<WorkResult.Park> parks = new ArrayList<>();
    /** When each run started, on {@link #clock} (empty without one). */
    final List<Instant> runStarts = new ArrayList<>();

    WorkRunner(InMemoryKeyRegistry registry, WorkHandler... handlers) {
        this(registry, null, handlers);
    }

    WorkRunner(InMemoryKeyRegistry registry, MutableClock clock, WorkHandler... handlers) {
        this.registry = registry;
        this.clock = clock;
        for (WorkHandler handler : handlers) {
            this.handlers.put(handler.kind(), handler);
        }
    }

    /** Runs pending items, oldest first, until none is left. */
    void drain() {
        drain(null);
    }

    /** Runs pending items of {@code kind} (null: any), oldest first, until none is left. */
    void drain(String kind) {
        for (int runs = 0; runs < MAX_RUNS; runs++) {
            Optional<InMemoryKeyRegistry.QueuedWork> next = registry.pendingWork().stream()
                    .filter(item -> kind == null || item.kind.equals(kind)).findFirst();
            if (next.isEmpty()) {
                return;
            }
            run(next.get());
        }
        throw new AssertionError("work does not end: " + registry.pendingWork());
    }

    /** One run of the item, recorded as the dispatcher records it. */
    WorkResult run(InMemoryKeyRegistry.QueuedWork item) {
        if (clock != null) {
            runStarts.add(clock.instant());
        }
        WorkResult result = handlers.get(item.kind).run(item.toWork());
        item.attempts++;
        if (result instanceof WorkResult.Park park) {
            parks.add(park);
            if (clock != null) {
                clock.advance(park.delay());
            }
        } else {
            item.finished = true;
        }
        return result;
    }
}

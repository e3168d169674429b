package io.crosslink.runtime.work;

import java.time.Duration;

/** What a handler says of a run: done, or parked until later (backoff, a plan to wait for). */
public sealed interface WorkResult {

    /** Finished: the item never runs again. */
    record Done() implements WorkResult {
    }

    /**
     * Run again after {@code delay}, from {@code checkpoint} (null keeps the one there). A parked item holds no
     * worker and no permit.
     */
    record Park(Duration delay, String checkpoint, String reason) implements WorkResult {
    }

    static WorkResult done() {
        return new Done();
    }

    static WorkResult park(Duration delay, String reason) {
        return new Park(delay, null, reason);
    }

    static WorkResult park(Duration delay, String checkpoint, String reason) {
        return new Park(delay, checkpoint, reason);
    }
}

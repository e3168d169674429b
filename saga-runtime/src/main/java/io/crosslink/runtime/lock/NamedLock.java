package io.crosslink.runtime.lock;

import java.util.function.Supplier;

/**
 * Mutual exclusion by name across every instance of a service (for example one read-modify-write of a deployment's
 * setting at a time). {@link #holding} runs {@code body} while holding the lock, or throws {@link Busy} when another
 * holder kept it longer than the wait, so the caller's work item parks instead of a worker waiting on.
 */
public interface NamedLock {

    <T> T holding(String name, Supplier<T> body);

    /** Another holder kept the lock for longer than the wait. */
    final class Busy extends RuntimeException {
        public Busy(String name) {
            super("the lock [" + name + "] is held by another instance or worker", null, false, false);
        }
    }
}

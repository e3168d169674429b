package io.crosslink.e2e.support;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits for an asynchronous result: polls until it is there, or fails with the last state seen. */
public final class Poll {
    /** Generous: the saga runs on real servers on a small shared machine. */
    public static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Poll() {
    }

    /**
     * Polls {@code attempt} until it returns a value. It may throw an AssertionError to stop at once (a terminal
     * state that will never become the awaited one). {@code lastState} describes what was seen, for the failure message.
     */
    public static <T> T until(String what, Duration timeout, Supplier<Optional<T>> attempt, Supplier<String> lastState) {
        return until(what, timeout, attempt, lastState, INTERVAL);
    }

    /** As above, looking every {@code interval}. */
    public static <T> T until(String what, Duration timeout, Supplier<Optional<T>> attempt, Supplier<String> lastState,
            Duration interval) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> result = attempt.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; last seen: " + lastState.get());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    public static <T> T until(String what, Supplier<Optional<T>> attempt, Supplier<String> lastState) {
        return until(what, TIMEOUT, attempt, lastState);
    }
}

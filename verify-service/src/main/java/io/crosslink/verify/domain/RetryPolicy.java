package io.crosslink.verify.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a verification gives up and how long it waits between attempts: exponential backoff from
 * {@code initialBackoff} up to {@code maxBackoff}, never past the deadline (the last attempt runs at the
 * deadline). The wait is the park of the verification's work item: no thread waits it out.
 */
public record RetryPolicy(Duration deadline, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
    }

    /** The wait after the given number of failed attempts (1 → initialBackoff). */
    public Duration backoffAfter(int failedAttempts) {
        Duration wait = initialBackoff;
        for (int i = 1; i < failedAttempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** When to try again after {@code failedAttempts}, at the latest at the deadline. */
    public Instant nextAttempt(Instant now, int failedAttempts, Instant deadlineAt) {
        Instant next = now.plus(backoffAfter(failedAttempts));
        return next.isAfter(deadlineAt) ? deadlineAt : next;
    }
}

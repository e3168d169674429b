package io.crosslink.trust.service;

import io.crosslink.events.StepFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * A trust read-modify-write could not finish now but may later: a transient Cloud API failure, or other writers
 * winning every attempt (409). The work item parks and runs again ({@link CloudApiRetry}); out of attempts, its
 * failure event carries {@link #failure()}. {@code mayHaveLanded}: a write of this run may have applied (a timeout,
 * a 5xx, a dropped connection after sending).
 */
public class RetryLater extends RuntimeException {
    private final StepFailure failure;
    private final transient Optional<Duration> retryAfter;
    private final boolean mayHaveLanded;

    public RetryLater(StepFailure failure, Optional<Duration> retryAfter, boolean mayHaveLanded) {
        super(failure.type() + ": " + failure.reason());
        this.failure = failure;
        this.retryAfter = retryAfter;
        this.mayHaveLanded = mayHaveLanded;
    }

    public StepFailure failure() {
        return failure;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter == null ? Optional.empty() : retryAfter;
    }

    public boolean mayHaveLanded() {
        return mayHaveLanded;
    }
}

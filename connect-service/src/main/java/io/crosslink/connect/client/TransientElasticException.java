package io.crosslink.connect.client;

import io.crosslink.events.StepFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * Elastic could not answer now (timeout, refused connection, 408/429/5xx): trying again may help, not before
 * {@link #retryAfter()} when Elastic said so ({@code Retry-After}).
 */
public class TransientElasticException extends RuntimeException {
    private final transient StepFailure failure;
    private final transient Duration retryAfter;

    public TransientElasticException(StepFailure failure) {
        this(failure, null);
    }

    public TransientElasticException(StepFailure failure, Duration retryAfter) {
        super(failure.type() + ": " + failure.reason(), null, false, false);
        this.failure = failure;
        this.retryAfter = retryAfter;
    }

    public StepFailure failure() {
        return failure;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

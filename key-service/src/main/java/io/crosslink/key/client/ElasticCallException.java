package io.crosslink.key.client;

import io.crosslink.events.StepFailure;
import io.crosslink.runtime.elastic.ElasticErrors;
import java.time.Duration;
import java.util.Optional;

/** An Elastic call failed for good (a 4xx, a configuration problem): trying again will not help. */
public class ElasticCallException extends RuntimeException {
    private final transient StepFailure failure;
    private final transient Duration retryAfter;

    protected ElasticCallException(StepFailure failure, Duration retryAfter) {
        // The reason is already redacted; no cause, so nothing unredacted travels along.
        super(failure.type() + ": " + failure.reason(), null, false, false);
        this.failure = failure;
        this.retryAfter = retryAfter;
    }

    public StepFailure failure() {
        return failure;
    }

    /** How long Elastic asked callers to wait ({@code Retry-After} of a 429 or 503), when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The right exception for a failure: {@link TransientElasticCallException} when it is retryable. */
    public static ElasticCallException of(StepFailure failure) {
        return of(failure, null);
    }

    public static ElasticCallException of(StepFailure failure, Duration retryAfter) {
        return failure.retryable() ? new TransientElasticCallException(failure, retryAfter)
                : new ElasticCallException(failure, null);
    }

    /** An HTTP answer that is an error; {@code secrets} are redacted besides the usual shapes. */
    public static ElasticCallException fromResponse(int status, String body, String... secrets) {
        return of(ElasticErrors.fromResponse(status, body, secrets));
    }

    /** No answer: refused, reset, timed out. */
    public static ElasticCallException fromException(Throwable error, String... secrets) {
        return of(ElasticErrors.fromException(error, secrets));
    }
}

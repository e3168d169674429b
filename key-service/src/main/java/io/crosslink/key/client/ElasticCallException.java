package io.crosslink.key.client;

import io.crosslink.events.StepFailure;
import io.crosslink.events.elastic.ElasticErrors;

/** An Elastic call failed for good (a 4xx, a configuration problem): trying again will not help. */
public class ElasticCallException extends RuntimeException {
    private final transient StepFailure failure;

    protected ElasticCallException(StepFailure failure) {
        // The reason is already redacted; no cause, so nothing unredacted travels along.
        super(failure.type() + ": " + failure.reason(), null, false, false);
        this.failure = failure;
    }

    public StepFailure failure() {
        return failure;
    }

    /** The right exception for a failure: {@link TransientElasticCallException} when it is retryable. */
    public static ElasticCallException of(StepFailure failure) {
        return failure.retryable() ? new TransientElasticCallException(failure) : new ElasticCallException(failure);
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

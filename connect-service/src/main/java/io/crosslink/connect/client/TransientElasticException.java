package io.crosslink.connect.client;

import io.crosslink.events.StepFailure;

/** Elastic could not answer now (timeout, refused connection, 408/429/5xx): trying again may help. */
public class TransientElasticException extends RuntimeException {
    private final transient StepFailure failure;

    public TransientElasticException(StepFailure failure) {
        super(failure.type() + ": " + failure.reason(), null, false, false);
        this.failure = failure;
    }

    public StepFailure failure() {
        return failure;
    }
}

package io.crosslink.verify.client;

import io.crosslink.events.StepFailure;
import io.crosslink.events.elastic.ElasticErrors;

/** Elasticsearch could not be asked: why, redacted, and whether asking again may help. */
public class ElasticCallException extends RuntimeException {
    private final transient StepFailure failure;

    public ElasticCallException(StepFailure failure) {
        super(failure.type() + ": " + failure.reason());
        this.failure = failure;
    }

    public static ElasticCallException fromException(Throwable error, String... secrets) {
        return new ElasticCallException(ElasticErrors.fromException(error, secrets));
    }

    public StepFailure failure() {
        return failure;
    }
}

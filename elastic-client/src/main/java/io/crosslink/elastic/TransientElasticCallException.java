package io.crosslink.elastic;

import io.crosslink.events.StepFailure;
import java.time.Duration;

/**
 * Trying again may help: refused or dropped connection, timeout, 408, 429, 5xx. The work item that made the call
 * parks (never a worker waiting) and runs again later, not before {@link #retryAfter()} when Elastic said so.
 */
public class TransientElasticCallException extends ElasticCallException {

    public TransientElasticCallException(StepFailure failure) {
        this(failure, null, null);
    }

    public TransientElasticCallException(StepFailure failure, Duration retryAfter, ElasticAnswer answer) {
        super(failure, retryAfter, answer);
    }
}

package io.crosslink.key.client;

import io.crosslink.events.StepFailure;
import java.time.Duration;

/** Trying again may help: refused or dropped connection, timeout, 408, 429, 5xx. A work item then parks and runs again later. */
public class TransientElasticCallException extends ElasticCallException {

    TransientElasticCallException(StepFailure failure, Duration retryAfter) {
        super(failure, retryAfter);
    }
}

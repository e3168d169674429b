package io.crosslink.key.client;

import io.crosslink.events.StepFailure;
import java.time.Duration;

/** Trying again may help: refused or dropped connection, timeout, 408, 429, 5xx. What {@code @Retry} retries. */
public class TransientElasticCallException extends ElasticCallException {

    TransientElasticCallException(StepFailure failure, Duration retryAfter) {
        super(failure, retryAfter);
    }
}

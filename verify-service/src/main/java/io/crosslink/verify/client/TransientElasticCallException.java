package io.crosslink.verify.client;

import io.crosslink.events.StepFailure;

/**
 * A call that may succeed when repeated: refused or dropped connection, timeout, 408, 429 or 5xx. The client's
 * {@code @Retry} repeats the call on it (at most twice, quickly); once the retries are spent it reaches the
 * verification as an unproven attempt, whose work item parks and tries again until the deadline.
 */
public class TransientElasticCallException extends ElasticCallException {

    public TransientElasticCallException(StepFailure failure) {
        super(failure);
    }

    public TransientElasticCallException(StepFailure failure, ElasticAnswer answer) {
        super(failure, answer);
    }
}

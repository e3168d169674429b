package io.crosslink.trust.service;

import io.crosslink.events.StepFailure;

/** The certificate-model step or its undo cannot complete: the failure, redacted, as it goes into the event. */
public class TrustStepException extends RuntimeException {
    private final StepFailure failure;

    public TrustStepException(StepFailure failure) {
        super(failure.type() + ": " + failure.reason());
        this.failure = failure;
    }

    public StepFailure failure() {
        return failure;
    }
}

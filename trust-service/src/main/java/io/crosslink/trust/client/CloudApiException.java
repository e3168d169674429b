package io.crosslink.trust.client;

import io.crosslink.events.StepFailure;
import io.crosslink.events.elastic.ElasticErrors;

/**
 * The Cloud API refused a call, or could not be reached. Carries the step failure, already redacted, so the
 * message is safe to log and to publish.
 */
public class CloudApiException extends RuntimeException {
    private final StepFailure failure;

    protected CloudApiException(StepFailure failure) {
        super(failure.type() + ": " + failure.reason());
        this.failure = failure;
    }

    /** A transient failure (the call may be retried) or a permanent one. */
    public static CloudApiException of(StepFailure failure) {
        return failure.retryable() ? new Transient(failure) : new CloudApiException(failure);
    }

    /** From an HTTP answer; {@code secrets} (the secret sent, the Cloud API key) are redacted from its text. */
    public static CloudApiException fromResponse(int status, String body, String... secrets) {
        return of(ElasticErrors.fromResponse(status, body, secrets));
    }

    /** From an exception of the HTTP client (no answer). */
    public static CloudApiException fromException(Throwable error, String... secrets) {
        return of(ElasticErrors.fromException(error, secrets));
    }

    public StepFailure failure() {
        return failure;
    }

    /** Trying again may help: refused or dropped connections, timeouts, 408, 429, 5xx. */
    public static class Transient extends CloudApiException {
        Transient(StepFailure failure) {
            super(failure);
        }
    }
}

package io.crosslink.trust.client;

import io.crosslink.events.StepFailure;
import io.crosslink.runtime.elastic.ElasticErrors;
import java.time.Duration;
import java.util.Optional;

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
        return of(failure, Optional.empty());
    }

    static CloudApiException of(StepFailure failure, Optional<Duration> retryAfter) {
        return failure.retryable() ? new Transient(failure, retryAfter) : new CloudApiException(failure);
    }

    /** From an HTTP answer; {@code secrets} (the secret sent, the Cloud API key) are redacted from its text. */
    public static CloudApiException fromResponse(int status, String body, String... secrets) {
        return of(ElasticErrors.fromResponse(status, body, secrets));
    }

    /** From an HTTP answer that may say how long to wait ({@code Retry-After}) before trying again. */
    public static CloudApiException fromResponse(int status, String body, Optional<Duration> retryAfter,
            String... secrets) {
        return of(ElasticErrors.fromResponse(status, body, secrets), retryAfter);
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
        private final transient Optional<Duration> retryAfter;

        Transient(StepFailure failure, Optional<Duration> retryAfter) {
            super(failure);
            this.retryAfter = retryAfter;
        }

        /** How long the Cloud API asked to wait ({@code Retry-After}), if it did. */
        public Optional<Duration> retryAfter() {
            return retryAfter == null ? Optional.empty() : retryAfter;
        }
    }
}

package io.crosslink.elastic;

import io.crosslink.events.StepFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * The one error type of Elastic calls: Elastic's error type and its reason, redacted (the Cloud API key, the
 * password, the secret sent and the usual secret shapes never appear), so the message is safe to log and publish.
 * A {@link TransientElasticCallException} when trying again may help.
 */
public class ElasticCallException extends RuntimeException {
    private final transient StepFailure failure;
    private final transient Duration retryAfter;
    private final transient ElasticAnswer answer;

    protected ElasticCallException(StepFailure failure, Duration retryAfter, ElasticAnswer answer) {
        // No cause: nothing unredacted travels along.
        super(failure.type() + ": " + failure.reason(), null, false, false);
        this.failure = failure;
        this.retryAfter = retryAfter;
        this.answer = answer;
    }

    public static ElasticCallException of(StepFailure failure) {
        return of(failure, null, null);
    }

    /** A failure with the wait Elastic asked for ({@code Retry-After}), if any. */
    public static ElasticCallException of(StepFailure failure, Duration retryAfter) {
        return of(failure, retryAfter, null);
    }

    /** Transient or permanent, as the failure says. */
    public static ElasticCallException of(StepFailure failure, Duration retryAfter, ElasticAnswer answer) {
        return failure.retryable() ? new TransientElasticCallException(failure, retryAfter, answer)
                : new ElasticCallException(failure, null, answer);
    }

    /** From an HTTP answer; {@code secrets} are redacted besides the usual shapes. */
    public static ElasticCallException fromResponse(int status, String body, String... secrets) {
        return of(ElasticErrors.fromResponse(status, body, secrets));
    }

    /** No answer: refused, reset, timed out. */
    public static ElasticCallException fromException(Throwable error, String... secrets) {
        return of(ElasticErrors.fromException(error, secrets));
    }

    public StepFailure failure() {
        return failure;
    }

    public boolean isTransient() {
        return failure.retryable();
    }

    /** How long Elastic asked callers to wait ({@code Retry-After} of a 429 or 503), when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The answer, when there was one (a 5xx can carry Elastic's verdict in its error chain). */
    public Optional<ElasticAnswer> answer() {
        return Optional.ofNullable(answer);
    }
}

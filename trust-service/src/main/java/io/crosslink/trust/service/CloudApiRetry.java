package io.crosslink.trust.service;

import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkBackoff;
import java.time.Duration;
import java.util.Optional;

/**
 * How a work item of this service retries a Cloud API call that failed in a way that may pass (refused or dropped
 * connections, timeouts, 408, 429, 5xx): it parks ({@code crosslink.retry.backoff}, doubling up to
 * {@code crosslink.retry.max-backoff}, with jitter, at least what {@code Retry-After} asks, at most
 * {@link #MAX_RETRY_AFTER}) and runs again, up to {@code crosslink.retry.attempts} runs; then its failure event is
 * emitted. Nothing waits in process: a parked item holds no thread.
 */
public record CloudApiRetry(int attempts, Duration backoff, Duration maxBackoff) {
    /** A {@code Retry-After} longer than this is not honoured in full. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    public CloudApiRetry {
        attempts = Math.max(1, attempts);
    }

    /**
     * The park before the next run, after the run that just failed ({@code work.attempts() + 1}); empty when that run
     * was the last one allowed.
     */
    public Optional<Duration> nextDelay(Work work, Optional<Duration> retryAfter) {
        return runsLeft(work) ? Optional.of(backoff(work, retryAfter)) : Optional.empty();
    }

    /** Whether a run is allowed after the one that just failed. */
    public boolean runsLeft(Work work) {
        return work.attempts() + 1 < attempts;
    }

    /** The park after the run that just failed, however many runs came before (an undo counts time instead). */
    public Duration backoff(Work work, Optional<Duration> retryAfter) {
        Optional<Duration> asked = retryAfter.map(after -> after.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER
                : after);
        return new WorkBackoff(backoff, maxBackoff).after(work.attempts() + 1, asked);
    }
}

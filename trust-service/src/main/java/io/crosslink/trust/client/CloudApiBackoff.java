package io.crosslink.trust.client;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait between {@code @Retry} attempts of a Cloud API call: exponential from the annotation's delay (doubling,
 * at most {@link #MAX_DELAY_MS}) with "equal jitter" (half fixed, half random, so instances that failed together
 * do not retry together), or at least what the answer's {@code Retry-After} asked for (at most
 * {@link #MAX_RETRY_AFTER_MS}; the retry's {@code maxDuration} bounds the whole). SmallRye Fault Tolerance creates
 * one instance per invocation and ignores {@code @Retry(jitter)} with a custom backoff, hence the jitter here.
 */
public class CloudApiBackoff implements CustomBackoffStrategy {
    static final long MAX_DELAY_MS = 8_000;
    static final long MAX_RETRY_AFTER_MS = 60_000;

    private long initialDelay;
    private int retries;

    @Override
    public void init(long initialDelayInMillis) {
        this.initialDelay = Math.max(1, initialDelayInMillis);
    }

    @Override
    public synchronized long nextDelayInMillis(Throwable cause) {
        long exponential = Math.min(initialDelay << Math.min(retries++, 20), MAX_DELAY_MS);
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        if (cause instanceof CloudApiException.Transient transientError && transientError.retryAfter().isPresent()) {
            Duration retryAfter = transientError.retryAfter().get();
            return Math.max(jittered, Math.min(retryAfter.toMillis(), MAX_RETRY_AFTER_MS));
        }
        return jittered;
    }
}

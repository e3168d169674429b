package io.crosslink.key.client;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delay between {@code @Retry} attempts of an Elastic call: exponential from the {@code @Retry} delay
 * (doubling, at most {@link #MAX_BACKOFF}) with ±25 % jitter, and never shorter than a {@code Retry-After} that
 * Elastic sent with a 429 or 503 (honoured up to {@link #MAX_RETRY_AFTER}; {@code @Retry}'s maxDuration still
 * bounds the whole). SmallRye Fault Tolerance makes one instance per invocation, so the state is per call.
 */
public class ElasticBackoff implements CustomBackoffStrategy {
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private long nextBackoffMillis;

    @Override
    public void init(long initialDelayInMillis) {
        nextBackoffMillis = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        long backoff = nextBackoffMillis;
        nextBackoffMillis = Math.min(nextBackoffMillis * 2, MAX_BACKOFF.toMillis());
        long jittered = backoff + ThreadLocalRandom.current().nextLong(-backoff / 4, backoff / 4 + 1);
        return Math.max(jittered, retryAfterMillis(cause));
    }

    private static long retryAfterMillis(Throwable cause) {
        if (cause instanceof ElasticCallException elastic) {
            return elastic.retryAfter().map(wait -> Math.min(wait.toMillis(), MAX_RETRY_AFTER.toMillis())).orElse(0L);
        }
        return 0;
    }
}

package io.crosslink.connect.client;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Backoff between the {@code @Retry} attempts of an Elastic call: exponential from the annotation's delay
 * (doubling, at most {@link #MAX_DELAY_MS}) plus up to {@link #JITTER} of it at random (SmallRye applies no
 * jitter of its own to a custom backoff), and never shorter than Elastic's {@code Retry-After} (bounded by
 * {@link #MAX_RETRY_AFTER_MS} here; the worker honours longer waits when it schedules the next attempt). One
 * instance per invocation (SmallRye Fault Tolerance creates it).
 */
public class ElasticBackoff implements CustomBackoffStrategy {
    static final long MAX_DELAY_MS = 8_000;
    static final long MAX_RETRY_AFTER_MS = 15_000;
    static final double JITTER = 0.25;

    private volatile long initialDelay;
    private final AtomicInteger retries = new AtomicInteger();

    @Override
    public void init(long initialDelayInMillis) {
        this.initialDelay = initialDelayInMillis;
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        int retry = retries.getAndIncrement();
        long exponential = Math.min(initialDelay << Math.min(retry, 16), MAX_DELAY_MS);
        long delay = exponential + (long) (exponential * JITTER * ThreadLocalRandom.current().nextDouble());
        if (cause instanceof TransientElasticException transientError && transientError.retryAfter().isPresent()) {
            long retryAfter = Math.min(transientError.retryAfter().get().toMillis(), MAX_RETRY_AFTER_MS);
            return Math.max(delay, retryAfter);
        }
        return delay;
    }
}

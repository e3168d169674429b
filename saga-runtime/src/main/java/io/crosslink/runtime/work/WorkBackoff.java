package io.crosslink.runtime.work;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** How long a retried item parks: exponential from {@code base}, capped, plus up to 20 % jitter so many spread. */
public record WorkBackoff(Duration base, Duration max) {

    /** The delay before the run after {@code attempts} runs; at least Elastic's {@code Retry-After}. */
    public Duration after(int attempts, Optional<Duration> retryAfter) {
        Duration exponential = base.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        Duration capped = exponential.compareTo(max) > 0 ? max : exponential;
        Duration delay = capped.plusMillis((long) (capped.toMillis() * 0.2 * ThreadLocalRandom.current().nextDouble()));
        return retryAfter.filter(after -> after.compareTo(delay) > 0).orElse(delay);
    }
}

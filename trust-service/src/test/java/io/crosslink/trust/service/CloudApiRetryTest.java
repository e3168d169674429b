package io.crosslink.trust.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.runtime.work.Work;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How long a work item parks after a transient Cloud API failure, and when it gives up. */
class CloudApiRetryTest {
    final CloudApiRetry retry = new CloudApiRetry(5, Duration.ofMillis(100), Duration.ofMillis(500));

    @Test
    void parksDoubleWithJitter_upToTheMax_thenTheLastRunGivesUp() {
        long[] steps = { 100, 200, 400, 500 };
        for (int run = 0; run < 4; run++) {
            long delay = retry.nextDelay(work(run), Optional.empty()).orElseThrow().toMillis();
            assertTrue(delay >= steps[run] && delay <= steps[run] * 1.2, "park " + delay + " after run " + (run + 1));
        }
        assertEquals(Optional.empty(), retry.nextDelay(work(4), Optional.empty()), "the fifth run was the last");
    }

    @Test
    void retryAfter_isWaitedAtLeast_butBounded() {
        assertEquals(Duration.ofSeconds(3), retry.nextDelay(work(0), Optional.of(Duration.ofSeconds(3))).orElseThrow());
        assertEquals(CloudApiRetry.MAX_RETRY_AFTER,
                retry.nextDelay(work(0), Optional.of(Duration.ofHours(1))).orElseThrow());
    }

    @Test
    void oneAttempt_neverParks() {
        assertEquals(Optional.empty(), new CloudApiRetry(0, Duration.ofSeconds(1), Duration.ofSeconds(1))
                .nextDelay(work(0), Optional.empty()));
    }

    private static Work work(int attempts) {
        return new Work(1, "write-keystore", "c", List.of("ece/d"), "crosslink.KeyCreated", "{}", Optional.empty(),
                attempts, Instant.now());
    }
}

package io.crosslink.connect.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.StepFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Backoff between retries of an Elastic call, and how Retry-After is read. */
class ElasticBackoffTest {
    private static final StepFailure BUSY = new StepFailure("http_503", "busy", 503, true);

    @Test
    void delaysDoubleUpToTheMaximumWithJitter() {
        ElasticBackoff backoff = new ElasticBackoff();
        backoff.init(500);
        RuntimeException failure = new TransientElasticException(BUSY);

        for (long expected : new long[] {500, 1000, 2000, 4000, ElasticBackoff.MAX_DELAY_MS, ElasticBackoff.MAX_DELAY_MS}) {
            assertBetween(expected, (long) (expected * (1 + ElasticBackoff.JITTER)), backoff.nextDelayInMillis(failure));
        }
    }

    @Test
    void retryAfterWaitsLongerButBounded() {
        ElasticBackoff backoff = new ElasticBackoff();
        backoff.init(500);

        assertEquals(3000, backoff.nextDelayInMillis(new TransientElasticException(BUSY, Duration.ofSeconds(3))));
        assertBetween(1000, 1250, backoff.nextDelayInMillis(new TransientElasticException(BUSY, Duration.ZERO)));
        assertEquals(ElasticBackoff.MAX_RETRY_AFTER_MS,
                backoff.nextDelayInMillis(new TransientElasticException(BUSY, Duration.ofMinutes(5))));
    }

    private static void assertBetween(long min, long max, long actual) {
        assertTrue(actual >= min && actual <= max, actual + " not in [" + min + ", " + max + "]");
    }
}

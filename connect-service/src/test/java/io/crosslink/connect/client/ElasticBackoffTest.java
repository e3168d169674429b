package io.crosslink.connect.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.StepFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
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

    @Test
    void retryAfterIsDelaySecondsOrAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse(" 7 ", clock));
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Wed, 01 Jan 2025 00:00:30 GMT", clock));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Tue, 31 Dec 2024 23:59:00 GMT", clock));
        assertEquals(Optional.of(RetryAfter.MAX), RetryAfter.parse("86400", clock));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", clock));
        assertEquals(Optional.empty(), RetryAfter.parse(null, clock));
    }
}

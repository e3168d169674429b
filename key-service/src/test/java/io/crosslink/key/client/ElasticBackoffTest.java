package io.crosslink.key.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.StepFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ElasticBackoffTest {
    private static final ElasticCallException UNAVAILABLE = ElasticCallException.of(
            new StepFailure("http_503", "unavailable", 503, true));

    @Test
    void backsOffExponentiallyWithJitterUpToTheMaximum() {
        ElasticBackoff backoff = new ElasticBackoff();
        backoff.init(1000);

        for (long expected : new long[] {1000, 2000, 4000, 8000, 8000, 8000}) {
            long delay = backoff.nextDelayInMillis(UNAVAILABLE);
            assertTrue(delay >= expected * 3 / 4 && delay <= expected * 5 / 4, expected + " ± 25 %: " + delay);
        }
    }

    @Test
    void honoursRetryAfterUpToItsCap() {
        ElasticBackoff backoff = new ElasticBackoff();
        backoff.init(100);

        assertEquals(3000, backoff.nextDelayInMillis(ElasticCallException.of(
                new StepFailure("http_429", "too many requests", 429, true), Duration.ofSeconds(3))));
        assertEquals(ElasticBackoff.MAX_RETRY_AFTER.toMillis(), backoff.nextDelayInMillis(ElasticCallException.of(
                new StepFailure("http_503", "maintenance", 503, true), Duration.ofHours(1))));
        assertTrue(backoff.nextDelayInMillis(UNAVAILABLE) < 1000, "without Retry-After: the backoff alone");
    }
}

package io.crosslink.trust.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.StepFailure;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The wait between retries of a Cloud API call, and how {@code Retry-After} is read. */
class CloudApiBackoffTest {
    static final StepFailure UNAVAILABLE = new StepFailure("root.unavailable", "try later", 503, true);

    @Test
    void delaysDoubleWithJitter_withinHalfAndWholeOfTheExponentialStep() {
        for (int run = 0; run < 50; run++) {
            CloudApiBackoff backoff = new CloudApiBackoff();
            backoff.init(100);
            long[] steps = { 100, 200, 400, 800 };
            for (long step : steps) {
                long delay = backoff.nextDelayInMillis(CloudApiException.of(UNAVAILABLE));
                assertTrue(delay >= step / 2 && delay <= step, "delay " + delay + " for step " + step);
            }
        }
    }

    @Test
    void delaysAreCapped() {
        CloudApiBackoff backoff = new CloudApiBackoff();
        backoff.init(1000);
        long delay = 0;
        for (int i = 0; i < 40; i++) {
            delay = backoff.nextDelayInMillis(new RuntimeException("refused"));
        }
        assertTrue(delay <= CloudApiBackoff.MAX_DELAY_MS && delay >= CloudApiBackoff.MAX_DELAY_MS / 2, "" + delay);
    }

    @Test
    void retryAfter_isWaitedAtLeast_butBounded() {
        CloudApiBackoff backoff = new CloudApiBackoff();
        backoff.init(50);
        long delay = backoff.nextDelayInMillis(CloudApiException.of(UNAVAILABLE, Optional.of(Duration.ofSeconds(3))));
        assertEquals(3000, delay);

        long capped = backoff.nextDelayInMillis(CloudApiException.of(UNAVAILABLE, Optional.of(Duration.ofHours(1))));
        assertEquals(CloudApiBackoff.MAX_RETRY_AFTER_MS, capped);
    }
}

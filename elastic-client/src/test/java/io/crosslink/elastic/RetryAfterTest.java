package io.crosslink.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsDelaySeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse(" 7 ", clock));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("0", clock));
    }

    @Test
    void readsAnHttpDateAsTheWaitUntilThen() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Sat, 28 Nov 2026 12:01:30 GMT", clock));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sat, 28 Nov 2026 11:00:00 GMT", clock));
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertEquals(Optional.empty(), RetryAfter.parse(null, clock));
        assertEquals(Optional.empty(), RetryAfter.parse(" ", clock));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", clock));
        assertEquals(Optional.empty(), RetryAfter.parse("-3", clock));
    }
}

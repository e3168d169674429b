package io.crosslink.connect.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The {@code Retry-After} header of a 429/503 answer: delay-seconds or an HTTP-date (RFC 9110). */
public final class RetryAfter {
    /** Longer waits are not honoured in full: the caller's own bounds (attempts, deadline) take over. */
    public static final Duration MAX = Duration.ofMinutes(2);

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(bounded(Duration.ofSeconds(Long.parseLong(value))));
        } catch (NumberFormatException e) {
            // not delay-seconds: an HTTP-date
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(bounded(Duration.between(clock.instant(), at)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration bounded(Duration delay) {
        return delay.isNegative() ? Duration.ZERO : delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}

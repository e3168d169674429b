package io.crosslink.trust.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The {@code Retry-After} header of a 429/503 answer: delay-seconds or an HTTP-date (RFC 9110). */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** The wait the answer asks for; empty when there is no header or it cannot be read. Never negative. */
    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(notNegative(Duration.ofSeconds(Long.parseLong(value))));
        } catch (NumberFormatException e) {
            // not delay-seconds: an HTTP-date
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(notNegative(Duration.between(clock.instant(), at)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration notNegative(Duration delay) {
        return delay.isNegative() ? Duration.ZERO : delay;
    }
}

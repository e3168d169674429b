package io.crosslink.elastic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header of a 429/503 answer (RFC 9110): delay-seconds or an HTTP-date. Callers bound the
 * wait by their own limits (attempts, deadline).
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The wait the answer asks for: empty when there is no header or it is neither a non-negative number of
     * seconds nor an HTTP-date; zero for a date in the past.
     */
    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            // not delay-seconds: an HTTP-date
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

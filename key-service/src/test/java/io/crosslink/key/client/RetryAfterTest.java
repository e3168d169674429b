package io.crosslink.key.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    @Test
    void secondsAndHttpDatesAreUnderstoodAndAnythingElseIsIgnored() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), JdkElasticClient.parseRetryAfter(" 7 "));
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(2));
        Duration wait = JdkElasticClient.parseRetryAfter(inTwoMinutes).orElseThrow();
        assertTrue(wait.compareTo(Duration.ofSeconds(100)) > 0 && wait.compareTo(Duration.ofSeconds(121)) <= 0, wait.toString());
        assertEquals(Optional.of(Duration.ZERO), JdkElasticClient.parseRetryAfter("Thu, 01 Jan 1970 00:00:00 GMT"));
        assertEquals(Optional.empty(), JdkElasticClient.parseRetryAfter("soon"));
        assertEquals(Optional.empty(), JdkElasticClient.parseRetryAfter("-3"));
    }
}

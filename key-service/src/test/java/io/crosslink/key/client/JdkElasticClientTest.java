package io.crosslink.key.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.StepFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which failures of an idempotent call are worth sending again at once, within the run (nothing waits). */
class JdkElasticClientTest {

    @Test
    void anAnsweredTransientErrorOrADroppedConnectionIsSentAgainAtOnce() {
        assertTrue(JdkElasticClient.worthSendingAgainAtOnce(ElasticCallException.fromResponse(503,
                "{\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"not available\"},\"status\":503}")));
        assertTrue(JdkElasticClient.worthSendingAgainAtOnce(ElasticCallException.fromResponse(429, "")));
        assertTrue(JdkElasticClient.worthSendingAgainAtOnce(ElasticCallException.fromException(
                new IOException("HTTP/1.1 header parser received no bytes"))));
    }

    @Test
    void slownessAbsenceAPermanentErrorOrAskingToWaitIsNot() {
        assertFalse(JdkElasticClient.worthSendingAgainAtOnce(ElasticCallException.fromException(
                new HttpTimeoutException("request timed out"))), "a slow deployment: give the worker back");
        assertFalse(JdkElasticClient.worthSendingAgainAtOnce(ElasticCallException.fromException(
                new ConnectException("Connection refused"))), "a deployment that is down");
        assertFalse(JdkElasticClient.worthSendingAgainAtOnce(ElasticCallException.of(
                new StepFailure("http_429", "too many requests", 429, true), Duration.ofSeconds(3))), "Retry-After");
        assertFalse(JdkElasticClient.worthSendingAgainAtOnce(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unauthorized\"},\"status\":403}")));
    }
}

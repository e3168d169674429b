package io.crosslink.verify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.verify.client.ElasticAnswer;
import io.crosslink.verify.client.ElasticsearchClient;
import io.crosslink.verify.client.TransientElasticCallException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The per-call retries of the real client, as deployed (fault-tolerance interceptor included): transient answers
 * are repeated (at most twice, quickly), permanent ones are returned at once, and a call that stays unavailable ends
 * as a transient failure the verification's work item retries on its next attempt.
 */
@QuarkusTest
@QuarkusTestResource(FlakyElasticsearch.class)
class ElasticsearchClientRetryTest {

    @Inject
    ElasticsearchClient elasticsearch;

    @Test
    void aCallAnsweredUnavailableIsRepeatedUntilItSucceeds() {
        ElasticAnswer answer = elasticsearch.get(FlakyElasticsearch.DEPLOYMENT_ID, "/unavailable-2/_remote/info");

        assertEquals(200, answer.status());
        assertEquals(3, FlakyElasticsearch.calls("/unavailable-2/_remote/info"));
    }

    @Test
    void aPermanentErrorIsReturnedWithoutRetry() {
        ElasticAnswer answer = elasticsearch.get(FlakyElasticsearch.DEPLOYMENT_ID, "/always-403/_remote/info");

        assertEquals(403, answer.status());
        assertEquals(1, FlakyElasticsearch.calls("/always-403/_remote/info"));
    }

    @Test
    void anUnreachableRemoteClusterIsAnAnswerNotALostCall() {
        ElasticAnswer answer = elasticsearch.get(FlakyElasticsearch.DEPLOYMENT_ID, "/remote-unreachable/x:*/_search");

        assertEquals(500, answer.status());
        assertTrue(answer.body().contains("no_seed_node_left_exception"), answer.body());
        assertEquals(1, FlakyElasticsearch.calls("/remote-unreachable/x:*/_search"), "the next attempt retries it, reconnecting first");
    }

    @Test
    void aCallThatStaysUnavailableFailsAsTransientAfterItsRetries() {
        TransientElasticCallException failure = assertThrows(TransientElasticCallException.class,
                () -> elasticsearch.get(FlakyElasticsearch.DEPLOYMENT_ID, "/always-503/_resolve/cluster/x:*"));

        assertEquals(3, FlakyElasticsearch.calls("/always-503/_resolve/cluster/x:*"), "one call and two quick retries");
        assertEquals(503, failure.failure().httpStatus());
        assertTrue(failure.failure().retryable());
        assertTrue(failure.failure().reason().contains("GET /always-503/_resolve/cluster/x:*"), failure.failure().reason());
        assertEquals("scripted_503", failure.failure().type());
    }

    @Test
    void aCallThatFailedSlowlyIsNotRepeated() {
        TransientElasticCallException failure = assertThrows(TransientElasticCallException.class,
                () -> elasticsearch.get(FlakyElasticsearch.DEPLOYMENT_ID, "/slow-503/_remote/info"));

        assertEquals(1, FlakyElasticsearch.calls("/slow-503/_remote/info"),
                "past the retries' few seconds the verification's next attempt takes over; no worker waits here");
        assertEquals(503, failure.failure().httpStatus());
    }
}

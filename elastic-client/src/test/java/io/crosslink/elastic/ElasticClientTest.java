package io.crosslink.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.elastic.support.StubServer;
import io.crosslink.elastic.support.StubServers;
import io.crosslink.runtime.work.StepWarnings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one client's wire shapes and policy: re-sends, Retry-After, timeouts, redaction, verdicts, TLS per target. */
@QuarkusTest
@QuarkusTestResource(value = StubServers.class, restrictToAnnotatedClass = true)
class ElasticClientTest {
    static final String API_KEY = "essu_c2VjcmV0LWNsb3VkLWFwaS1rZXk=";
    static final String PASSWORD = "s3cret-password";

    @Inject
    CloudApi cloud;
    @Inject
    ElasticsearchApi elasticsearch;

    StubServer server;

    @BeforeEach
    void reset() {
        server = StubServers.http;
        server.reset();
        StubServers.https.reset();
    }

    CloudTarget cloudTarget() {
        return new CloudTarget("ece", server.uri(), API_KEY, Optional.empty());
    }

    ElasticsearchTarget esTarget(URI uri, Optional<String> tls) {
        return new ElasticsearchTarget("c0ffee", uri, "crosslink", PASSWORD, tls);
    }

    /** Elasticsearch's deprecation warnings reach the running step (and from there its event and the timeline). */
    @Test
    void theWarningsOfAnAnswerAreCollectedForTheRunningStep() {
        server.reply(200, "{}", Map.of("Warning", "299 Elasticsearch-9.5.4-abc \"[cluster.remote.x] is deprecated\""));
        StepWarnings.begin();
        try {
            elasticsearch.remoteInfo(esTarget(server.uri(), Optional.empty()));
            assertEquals(List.of("[cluster.remote.x] is deprecated"), StepWarnings.current());
        } finally {
            StepWarnings.end();
        }
    }

    @Test
    void cloudCallsUseTheSpecsPathsQueryAndApiKey() {
        server.reply(200, "{\"id\":\"c0ffee\"}", Map.of("x-cloud-resource-version", "7"));
        ElasticAnswer answer = cloud.deployment(cloudTarget(), "c0ffee", true);
        server.reply(200, "{}");
        cloud.patchKeystore(cloudTarget(), "c0ffee", "main-elasticsearch", "{\"secrets\":{}}", "value");

        assertEquals(200, answer.status());
        assertEquals(Optional.of("7"), answer.header("X-Cloud-Resource-Version"));
        StubServer.Recorded get = server.requests().get(0);
        assertEquals("GET", get.method());
        assertEquals("/api/v1/deployments/c0ffee", get.path());
        assertTrue(get.query().contains("show_settings=true") && get.query().contains("show_plans=true"), get.query());
        assertEquals("ApiKey " + API_KEY, get.authorization());
        StubServer.Recorded patch = server.requests().get(1);
        assertEquals("PATCH", patch.method());
        assertEquals("/api/v1/deployments/c0ffee/elasticsearch/main-elasticsearch/keystore", patch.path());
        assertEquals("{\"secrets\":{}}", patch.body());
        assertTrue(patch.contentType().startsWith("application/json"));
    }

    @Test
    void elasticsearchCallsUseBasicAuthBodiesOnDeleteAndCrossClusterExpressions() {
        ElasticsearchTarget target = esTarget(server.uri(), Optional.empty());
        elasticsearch.invalidateApiKeys(target, "{\"ids\":[\"k1\"]}");
        elasticsearch.resolveCluster(target, "remote-a:*", Optional.of(Duration.ofSeconds(5)));
        elasticsearch.search(target, "remote-a:demo-*", 0);
        elasticsearch.apiKeys(target, "crosslink-1", true);

        StubServer.Recorded delete = server.requests().get(0);
        assertEquals("DELETE", delete.method());
        assertEquals("{\"ids\":[\"k1\"]}", delete.body());
        assertTrue(delete.authorization().startsWith("Basic "));
        assertEquals("remote-a:*", decode(server.requests().get(1).path()).substring("/_resolve/cluster/".length()));
        assertEquals("timeout=5000ms", server.requests().get(1).query());
        assertEquals("/remote-a:demo-*/_search", decode(server.requests().get(2).path()));
        assertEquals("size=0", server.requests().get(2).query());
        assertTrue(server.requests().get(3).query().contains("name=crosslink-1"));
        assertTrue(server.requests().get(3).query().contains("active_only=true"));
    }

    @Test
    void anIdempotentCallAnsweredUnavailableIsSentAgainAtOnce() {
        server.reply(503, "{}").reply(502, "{}").reply(200, "{\"secrets\":{}}");
        ElasticAnswer answer = cloud.keystore(cloudTarget(), "c0ffee", "main-elasticsearch");
        assertEquals(200, answer.status());
        assertEquals(3, server.requests().size());
    }

    @Test
    void afterItsResendsTheCallFailsTransientWithTheAnswer() {
        server.reply(503, "{}").reply(503, "{}").reply(503, "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"busy\"}]}");
        TransientElasticCallException e = assertThrows(TransientElasticCallException.class,
                () -> cloud.keystore(cloudTarget(), "c0ffee", "main-elasticsearch"));
        assertEquals(3, server.requests().size());
        assertEquals("root.unavailable", e.failure().type());
        assertEquals(503, e.answer().orElseThrow().status());
    }

    @Test
    void aCallThatIsNotIdempotentIsSentOnce() {
        server.reply(503, "{}");
        assertThrows(TransientElasticCallException.class,
                () -> elasticsearch.createCrossClusterApiKey(esTarget(server.uri(), Optional.empty()), "{}"));
        assertEquals(1, server.requests().size());
    }

    @Test
    void anAnswerAskingToWaitCarriesItsRetryAfterAndIsNotSentAgain() {
        server.reply(429, "{}", Map.of("Retry-After", "7"));
        TransientElasticCallException e = assertThrows(TransientElasticCallException.class,
                () -> cloud.account(cloudTarget()));
        assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
        assertEquals(1, server.requests().size());
    }

    @Test
    void aLongRetryAfterIsCutToTheConfiguredMaximum() {
        server.reply(503, "{}", Map.of("Retry-After", "3600"));
        TransientElasticCallException e = assertThrows(TransientElasticCallException.class,
                () -> cloud.account(cloudTarget()));
        assertEquals(Optional.of(Duration.ofSeconds(30)), e.retryAfter());
    }

    @Test
    void aSlowAnswerIsATimeoutAndIsNotSentAgain() {
        server.replyAfter(3000, 200, "{}");
        TransientElasticCallException e = assertThrows(TransientElasticCallException.class,
                () -> cloud.account(cloudTarget()));
        assertEquals("timeout", e.failure().type());
        assertEquals(1, server.requests().size());
    }

    @Test
    void aDroppedConnectionIsTransientAndSentAgain() {
        server.drop().reply(200, "{\"id\":\"acc\"}");
        assertEquals(200, cloud.account(cloudTarget()).status());
        assertEquals(2, server.requests().size());
    }

    @Test
    void aRefusedConnectionIsTransientNamesTheEndpointAndIsNotSentAgain() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CloudTarget nowhere = new CloudTarget("ece", URI.create("http://127.0.0.1:" + port), API_KEY, Optional.empty());
        TransientElasticCallException e = assertThrows(TransientElasticCallException.class, () -> cloud.account(nowhere));
        assertEquals("connection_refused", e.failure().type());
        assertTrue(e.failure().reason().contains("127.0.0.1:" + port), e.failure().reason());
    }

    @Test
    void aPermanentErrorIsReturnedAndRequireOkThrowsItRedacted() {
        server.reply(400, "{\"errors\":[{\"code\":\"keystore.invalid\",\"message\":\"bad key " + API_KEY
                + " and value s3cret-value\"}]}");
        ElasticAnswer answer = cloud.patchKeystore(cloudTarget(), "c0ffee", "main-elasticsearch", "{}", "s3cret-value");
        assertEquals(400, answer.status());
        ElasticCallException e = assertThrows(ElasticCallException.class, answer::requireOk);
        assertFalse(e.isTransient());
        assertEquals("keystore.invalid", e.failure().type());
        assertFalse(e.getMessage().contains(API_KEY), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-value"), e.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void elasticsearchErrorsKeepTheirTypeAndAMissingRoleIsAnAnswer() {
        server.reply(404, "{}");
        assertEquals(404, elasticsearch.role(esTarget(server.uri(), Optional.empty()), "r").status());
        server.reply(403, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"user crosslink with password "
                + PASSWORD + " is not allowed\"},\"status\":403}");
        ElasticAnswer answer = elasticsearch.putClusterSettings(esTarget(server.uri(), Optional.empty()), "{}");
        assertEquals("security_exception", answer.failure().type());
        assertFalse(answer.failure().reason().contains(PASSWORD));
    }

    @Test
    void aCrossClusterVerdictIsAnAnswerNotALostCall() {
        server.reply(500, "{\"error\":{\"type\":\"no_seed_node_left_exception\",\"reason\":\"no seed node left\"},\"status\":500}");
        ElasticAnswer answer = elasticsearch.search(esTarget(server.uri(), Optional.empty()), "r:demo-*", 0);
        assertEquals(500, answer.status());
        assertEquals("no_seed_node_left_exception", answer.failure().type());
        assertEquals(1, server.requests().size());
    }

    @Test
    void anEndpointWithItsOwnCaNeedsItsTlsConfiguration() {
        ElasticsearchTarget untrusted = esTarget(StubServers.https.uri(), Optional.empty());
        ElasticCallException refused = assertThrows(ElasticCallException.class,
                () -> elasticsearch.remoteInfo(untrusted));
        assertFalse(refused.isTransient());
        assertEquals("tls_error", refused.failure().type());
        assertTrue(refused.failure().reason().contains("tls-configuration-name"), refused.failure().reason());

        StubServers.https.reply(200, "{\"r\":{\"connected\":true}}");
        ElasticAnswer answer = elasticsearch.remoteInfo(esTarget(StubServers.https.uri(), Optional.of("own-ca")));
        assertEquals(200, answer.status());
        assertTrue(answer.json().path("r").path("connected").asBoolean());
    }

    @Test
    void anUnknownTlsConfigurationIsAPermanentConfigurationError() {
        ElasticCallException e = assertThrows(ElasticCallException.class,
                () -> elasticsearch.remoteInfo(esTarget(StubServers.https.uri(), Optional.of("nope"))));
        assertEquals("tls_configuration_not_found", e.failure().type());
        assertInstanceOf(ElasticCallException.class, e);
        assertFalse(e.isTransient());
    }

    @Test
    void neitherTargetsNorAnswersPrintTheirSecrets() {
        server.reply(200, "{\"encoded\":\"c2VjcmV0\"}");
        ElasticAnswer answer = elasticsearch.createCrossClusterApiKey(esTarget(server.uri(), Optional.empty()), "{}");
        assertFalse(answer.toString().contains("c2VjcmV0"));
        assertFalse(esTarget(server.uri(), Optional.empty()).toString().contains(PASSWORD));
        assertFalse(cloudTarget().toString().contains(API_KEY));
    }

    private static String decode(String path) {
        return java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}

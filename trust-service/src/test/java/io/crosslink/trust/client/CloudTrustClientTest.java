package io.crosslink.trust.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.crosslink.events.EventCodec;
import io.crosslink.trust.domain.CaCertificates;
import io.crosslink.trust.domain.DeploymentState;
import io.crosslink.elastic.CloudApi;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.crosslink.trust.FakeCloudApi;
import io.crosslink.trust.support.TestCloudTargets;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire contract of the trust calls (the deployment read, the CA read, the update) and how answers are
 * classified, against a JDK HTTP server playing the Cloud API, through the one Elastic client. A Quarkus test for the
 * REST client; it shares the integration tests' application.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "trust"))
@QuarkusTestResource(FakeCloudApi.class)
class CloudTrustClientTest {
    static final String API_KEY = "ess-cloud-api-key-for-tests-0002";
    static final DeploymentResource REMOTE = new DeploymentResource("ess", "0b5e55ed12345678abcdef0123456789",
            "main-elasticsearch");
    static final String DEPLOYMENT = "{'id':'0b5e55ed12345678abcdef0123456789','name':'remote','resources':"
            + "{'elasticsearch':[{'ref_id':'main-elasticsearch','id':'abc','region':'gcp-us-central1','info':{"
            + "'plan_info':{'current':{'plan':{'elasticsearch':{'version':'8.19.21'},'cluster_topology':[{'id':"
            + "'hot_content'}]}},'pending':null},'settings':{'trust':{'accounts':[{'account_id':'4285051796',"
            + "'trust_all':true}],'external':[],'direct':[]}}}}],'kibana':[]}}";

    record Received(String method, String path, String query, String authorization, String body) {
    }

    @Inject
    CloudApi cloud;

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer = json(DEPLOYMENT).toString();
    volatile String retryAfter;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("x-cloud-resource-version", "7");
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readDeployment_asksForSettingsAndPlans_andReadsTrustPlanAndVersion() {
        DeploymentState state = client().readDeployment(REMOTE);

        Received get = received.get(0);
        assertEquals("GET", get.method());
        assertEquals("/api/v1/deployments/0b5e55ed12345678abcdef0123456789", get.path());
        assertEquals("show_settings=true&show_plans=true", get.query());
        assertEquals("ApiKey " + API_KEY, get.authorization());
        assertEquals(Optional.of("7"), state.version());
        assertEquals("gcp-us-central1", state.region());
        assertEquals("remote", state.name());
        assertFalse(state.planPending());
        assertEquals("4285051796", state.trust().orElseThrow().path("accounts").get(0).path("account_id").asText());
        assertEquals("8.19.21", state.currentPlan().orElseThrow().path("elasticsearch").path("version").asText());
    }

    @Test
    void readDeployment_seesAPendingPlan() {
        answer = DEPLOYMENT.replace("'pending':null", "'pending':{'plan_attempt_id':'x'}").replace('\'', '"');

        assertTrue(client().readDeployment(REMOTE).planPending());
    }

    @Test
    void readCertificateAuthority_takesTheActiveCertificates() {
        answer = json("{'public_certificates':[{'pem':'OLD','active':false,'metadata':{}},{'pem':'NEW','active':true,"
                + "'metadata':{}}],'recommended_trust_restriction':'*.abc.es.local'}").toString();

        CaCertificates ca = client().readCertificateAuthority(REMOTE);

        assertEquals("/api/v1/deployments/0b5e55ed12345678abcdef0123456789/certificate-authority",
                received.get(0).path());
        assertEquals(List.of("NEW"), ca.pems());
        assertEquals("*.abc.es.local", ca.recommendedTrustRestriction());
    }

    @Test
    void updateTrust_putsTheCompleteTrustWithThePlanAndTheVersionRead() {
        DeploymentState read = client().readDeployment(REMOTE);
        JsonNode trust = json("{'accounts':[{'account_id':'4285051796','trust_all':true}],'external':[],"
                + "'direct':[{'name':'crosslink local','type':'ECE','scope_id':'b7c2','trust_all':false,"
                + "'trust_allowlist':['e5f6'],'certificates':[{'pem':'PEM'}]}]}");

        client().updateTrust(REMOTE, read, trust);

        Received put = received.get(1);
        assertEquals("PUT", put.method());
        assertEquals("/api/v1/deployments/0b5e55ed12345678abcdef0123456789", put.path());
        assertEquals("version=7", put.query());
        assertEquals(json("{'prune_orphans':false,'resources':{'elasticsearch':[{'ref_id':'main-elasticsearch',"
                + "'region':'gcp-us-central1','plan':{'elasticsearch':{'version':'8.19.21'},'cluster_topology':"
                + "[{'id':'hot_content'}]},'settings':{'trust':" + trust + "}}]}}"), json(put.body()));
    }

    @Test
    void updateTrust_409_isAVersionConflict() {
        DeploymentState read = client().readDeployment(REMOTE);
        status = 409;
        answer = "{\"errors\":[{\"code\":\"deployments.deployment_version_conflict\",\"message\":\"changed\"}]}";

        TrustVersionConflict conflict = assertThrows(TrustVersionConflict.class,
                () -> client().updateTrust(REMOTE, read, json("{}")));

        assertEquals("deployments.deployment_version_conflict", conflict.failure().type());
        assertEquals(409, conflict.failure().httpStatus());
    }

    @Test
    void unavailable_isTransientAndCarriesRetryAfter() {
        status = 503;
        retryAfter = "3";
        answer = "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"later\"}]}";

        ElasticCallException error = assertThrows(ElasticCallException.class, () -> client().readDeployment(REMOTE));

        TransientElasticCallException transientError = assertInstanceOf(TransientElasticCallException.class, error);
        assertEquals(Optional.of(Duration.ofSeconds(3)), transientError.retryAfter());
    }

    @Test
    void refusalQuotingTheApiKey_isRedactedAndPermanent() {
        status = 400;
        answer = "{\"errors\":[{\"code\":\"root.invalid_json_request\",\"message\":\"bad request with ApiKey "
                + API_KEY + "\"}]}";

        ElasticCallException error = assertThrows(ElasticCallException.class, () -> client().readDeployment(REMOTE));

        assertFalse(error.failure().retryable());
        assertFalse(error.failure().reason().contains(API_KEY), error.failure().reason());
    }

    @Test
    void deploymentWithoutTheResource_isRefused() {
        answer = "{\"id\":\"x\",\"resources\":{\"elasticsearch\":[]}}";

        ElasticCallException error = assertThrows(ElasticCallException.class, () -> client().readDeployment(REMOTE));

        assertEquals("deployments.deployment_resource_not_found", error.failure().type());
        assertFalse(error.failure().retryable());
    }

    private CloudTrustClient client() {
        return new CloudTrustClient(new TestCloudTargets("http://127.0.0.1:" + server.getAddress().getPort(), "ess",
                API_KEY), cloud);
    }

    static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

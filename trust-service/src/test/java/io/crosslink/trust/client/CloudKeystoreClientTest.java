package io.crosslink.trust.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.crosslink.events.EventCodec;
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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire contract of the keystore PATCH and GET and how answers are classified, against a JDK HTTP server playing
 * the Cloud API, through the one Elastic client (its policy: {@code crosslink.elastic.idempotent-call-retries=3}
 * immediate re-sends of these idempotent calls); longer retries are the work items' (parking), exercised by the
 * service tests and {@code TrustServiceIntegrationTest}. A Quarkus test for the REST client; it shares the
 * integration tests' application.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "trust"))
@QuarkusTestResource(FakeCloudApi.class)
class CloudKeystoreClientTest {
    static final String API_KEY = "cloud-api-key-for-tests-0001";
    static final String SETTING = "cluster.remote.eu-logs.credentials";
    static final String ENCODED_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    static final DeploymentResource LOCAL = new DeploymentResource("ece", "c0ffee00a1b2c3d4e5f60718293a4b5c",
            "main-elasticsearch");

    record Received(String method, String path, String authorization, String contentType, String body) {
    }

    @Inject
    CloudApi cloud;

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer = "{\"secrets\":{}}";
    /** When set, the answer quotes the request body, as Cloud API errors may. */
    volatile boolean echo;
    volatile String retryAfter;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            String text = echo ? "{\"errors\":[{\"code\":\"root.invalid_json_request\",\"message\":"
                    + EventCodec.mapper().writeValueAsString("cannot read request " + body + " sent with ApiKey "
                            + API_KEY)
                    + "}]}" : answer;
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
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
    void putSecret_patchesTheKeystoreWithAStringSecret() throws IOException {
        client("http://127.0.0.1:" + server.getAddress().getPort() + "/").putSecret(LOCAL, SETTING, ENCODED_KEY);

        Received request = received.get(0);
        assertEquals(1, received.size());
        assertEquals("PATCH", request.method());
        assertEquals("/api/v1/deployments/c0ffee00a1b2c3d4e5f60718293a4b5c/elasticsearch/main-elasticsearch/keystore",
                request.path());
        assertEquals("ApiKey " + API_KEY, request.authorization());
        assertTrue(request.contentType().startsWith("application/json"), request.contentType());
        assertEquals(EventCodec.mapper().readTree("{\"secrets\":{\"" + SETTING + "\":{\"value\":\"" + ENCODED_KEY
                + "\",\"as_file\":false}}}"), EventCodec.mapper().readTree(request.body()));
    }

    @Test
    void removeSecret_sendsTheEntryWithoutValue() throws IOException {
        client(baseUrl()).removeSecret(LOCAL, SETTING);

        JsonNode body = EventCodec.mapper().readTree(received.get(0).body());
        assertEquals("PATCH", received.get(0).method());
        assertEquals(EventCodec.mapper().readTree("{\"secrets\":{\"" + SETTING + "\":{\"as_file\":false}}}"), body);
    }

    @Test
    void severalChanges_leaveInOnePatch_andEveryValueIsRedacted() throws IOException {
        String other = "cluster.remote.us-metrics.credentials";
        String otherKey = "b3RoZXIta2V5LWlkOm90aGVyLWtleS1zZWNyZXQ=";
        List<KeystoreBatches.Change> changes = List.of(new KeystoreBatches.Change(SETTING, ENCODED_KEY),
                new KeystoreBatches.Change(other, otherKey), new KeystoreBatches.Change("cluster.remote.gone.credentials",
                        null));

        client(baseUrl()).patch(LOCAL, changes);

        assertEquals(1, received.size());
        assertEquals(EventCodec.mapper().readTree("{\"secrets\":{\"" + SETTING + "\":{\"value\":\"" + ENCODED_KEY
                + "\",\"as_file\":false},\"" + other + "\":{\"value\":\"" + otherKey + "\",\"as_file\":false},"
                + "\"cluster.remote.gone.credentials\":{\"as_file\":false}}}"), EventCodec.mapper().readTree(received.get(0).body()));

        status = 400;
        echo = true;
        ElasticCallException error = assertThrows(ElasticCallException.class, () -> client(baseUrl()).patch(LOCAL, changes));
        assertTrue(error.failure().reason().startsWith("cannot read request"), error.failure().reason());
        assertFalse(error.failure().reason().contains(ENCODED_KEY), error.failure().reason());
        assertFalse(error.failure().reason().contains(otherKey), error.failure().reason());
    }

    @Test
    void listSecrets_getsTheKeystoreAndReadsTheEntryNames() {
        answer = "{\"secrets\":{\"" + SETTING + "\":{\"as_file\":false},\"s3.client.default.key\":{\"as_file\":true}}}";

        java.util.Set<String> names = client(baseUrl()).listSecrets(LOCAL);

        assertEquals(java.util.Set.of(SETTING, "s3.client.default.key"), names);
        Received request = received.get(0);
        assertEquals("GET", request.method());
        assertEquals("/api/v1/deployments/c0ffee00a1b2c3d4e5f60718293a4b5c/elasticsearch/main-elasticsearch/keystore",
                request.path());
        assertEquals("ApiKey " + API_KEY, request.authorization());
    }

    @Test
    void listSecrets_unavailable_isTransient() {
        status = 503;
        answer = "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"later\"}]}";

        ElasticCallException error = assertThrows(ElasticCallException.class, () -> client(baseUrl()).listSecrets(LOCAL));

        assertInstanceOf(TransientElasticCallException.class, error);
        assertEquals(4, received.size(), "the GET and three re-sends at once, no wait in the client");
    }

    @Test
    void idempotentCalls_areResentAtOnceAFewTimes_butNotWhenAskedToWait() {
        status = 503;
        answer = "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"later\"}]}";
        CloudKeystoreClient resending = client(baseUrl());

        assertThrows(TransientElasticCallException.class, () -> resending.putSecret(LOCAL, SETTING, ENCODED_KEY));
        assertEquals(4, received.size(), "the PATCH and three re-sends");

        received.clear();
        retryAfter = "30";
        assertThrows(TransientElasticCallException.class, () -> resending.listSecrets(LOCAL));
        assertEquals(1, received.size(), "Retry-After: the work item parks instead");
    }

    @Test
    void removalRefusedQuotingTheCaller_isPermanentAndRedacted() {
        status = 400;
        echo = true;

        ElasticCallException error = assertThrows(ElasticCallException.class,
                () -> client(baseUrl()).removeSecret(LOCAL, SETTING));

        assertFalse(error instanceof TransientElasticCallException);
        assertEquals("root.invalid_json_request", error.failure().type());
        assertTrue(error.failure().reason().contains(SETTING), error.failure().reason());
        assertFalse(error.failure().reason().contains(API_KEY), error.failure().reason());
    }

    @Test
    void throttled_carriesTheRetryAfterOfTheAnswer() {
        status = 429;
        retryAfter = "7";
        answer = "{\"errors\":[{\"code\":\"root.too_many_requests\",\"message\":\"slow down\"}]}";

        ElasticCallException error = assertThrows(ElasticCallException.class,
                () -> client(baseUrl()).removeSecret(LOCAL, SETTING));

        TransientElasticCallException throttled = assertInstanceOf(TransientElasticCallException.class, error);
        assertEquals(java.util.Optional.of(Duration.ofSeconds(7)), throttled.retryAfter());
    }

    @Test
    void rejectionQuotingTheRequest_isPermanentAndRedacted() {
        status = 400;
        echo = true;

        ElasticCallException error = assertThrows(ElasticCallException.class,
                () -> client(baseUrl()).putSecret(LOCAL, SETTING, ENCODED_KEY));

        assertFalse(error instanceof TransientElasticCallException);
        assertEquals("root.invalid_json_request", error.failure().type());
        assertEquals(400, error.failure().httpStatus());
        assertTrue(error.failure().reason().startsWith("cannot read request"), error.failure().reason());
        assertFalse(error.failure().reason().contains(ENCODED_KEY), error.failure().reason());
        assertFalse(error.failure().reason().contains(API_KEY), error.failure().reason());
        assertFalse(error.getMessage().contains(ENCODED_KEY));
    }

    @Test
    void notFound_isPermanent() {
        status = 404;
        answer = "{\"errors\":[{\"code\":\"deployments.deployment_not_found\",\"message\":\"Deployment not found\"}]}";

        ElasticCallException error = assertThrows(ElasticCallException.class,
                () -> client(baseUrl()).putSecret(LOCAL, SETTING, ENCODED_KEY));

        assertFalse(error.failure().retryable());
        assertEquals("deployments.deployment_not_found", error.failure().type());
    }

    @Test
    void serverErrorAndThrottling_areTransient() {
        for (int code : new int[] { 500, 502, 503, 429, 408 }) {
            status = code;
            answer = "{\"errors\":[{\"code\":\"deployments.metadata_internal_error\",\"message\":\"We have failed you.\"}]}";
            ElasticCallException error = assertThrows(ElasticCallException.class,
                    () -> client(baseUrl()).putSecret(LOCAL, SETTING, ENCODED_KEY));
            assertInstanceOf(TransientElasticCallException.class, error, "status " + code);
            assertEquals(code, error.failure().httpStatus());
        }
    }

    @Test
    void refusedConnection_isTransient() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        ElasticCallException error = assertThrows(ElasticCallException.class,
                () -> client("http://127.0.0.1:" + closedPort).putSecret(LOCAL, SETTING, ENCODED_KEY));

        assertInstanceOf(TransientElasticCallException.class, error);
        assertEquals("connection_refused", error.failure().type());
    }

    @Test
    void unknownEnvironment_isPermanentAndSendsNothing() {
        ElasticCallException error = assertThrows(ElasticCallException.class, () -> client(baseUrl())
                .putSecret(new DeploymentResource("elsewhere", "abc", "main-elasticsearch"), SETTING, ENCODED_KEY));

        assertEquals("environment_not_configured", error.failure().type());
        assertFalse(error.failure().retryable());
        assertTrue(received.isEmpty());
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private CloudKeystoreClient client(String url) {
        return new CloudKeystoreClient(new TestCloudTargets(url, "ece", API_KEY), cloud);
    }
}

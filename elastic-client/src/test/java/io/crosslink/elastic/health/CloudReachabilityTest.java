package io.crosslink.elastic.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.elastic.CloudTarget;
import io.crosslink.elastic.support.StubServer;
import io.crosslink.elastic.support.StubServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A probe's reading of a Cloud API (any HTTP answer is "reachable"), and a check that reports without gating. */
@QuarkusTest
@QuarkusTestResource(value = StubServers.class, restrictToAnnotatedClass = true)
class CloudReachabilityTest {
    static final String API_KEY = "essu_cmVhY2hhYmlsaXR5LWtleQ==";

    @Inject
    CloudReachability reachability;
    @Inject
    @Readiness
    CloudApiHealthCheck check;

    StubServer server;

    @BeforeEach
    void reset() {
        server = StubServers.http;
        server.reset();
    }

    @Test
    void anAnsweringCloudApiIsReachableWithItsStatus() {
        server.reply(200, "{\"id\":\"account\"}");
        CloudReachability.Reading ok = reachability.probe(target(server.uri()));
        server.reply(401, "{\"errors\":[{\"code\":\"root.unauthenticated\",\"message\":\"invalid\"}]}");
        CloudReachability.Reading refused = reachability.probe(target(server.uri()));

        assertTrue(ok.reachable());
        assertEquals("HTTP 200", ok.detail());
        assertTrue(refused.reachable(), "a refused API key is an answer: the API is reachable");
        assertTrue(refused.detail().startsWith("HTTP 401"), refused.detail());
        assertEquals("ApiKey " + API_KEY, server.requests().get(0).authorization());
        assertEquals("/api/v1/account", server.requests().get(0).path());
    }

    @Test
    void aCloudApiThatIsNotListeningIsUnreachableAndTheReadingHoldsNoSecretOrAddress() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CloudReachability.Reading reading = reachability.probe(target(URI.create("http://127.0.0.1:" + port)));

        assertFalse(reading.reachable());
        assertEquals("connection_refused", reading.detail());
        assertFalse(reading.describe().contains(API_KEY));
        assertFalse(reading.describe().contains(String.valueOf(port)));
    }

    @Test
    void withoutEnvironmentsTheCheckIsUpAndSaysSo() {
        HealthCheckResponse response = check.call();

        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals(Optional.of("none configured"),
                response.getData().map(data -> data.get("environments")).map(Object::toString));
    }

    private static CloudTarget target(URI uri) {
        return new CloudTarget("ece", uri, API_KEY, Optional.empty());
    }
}

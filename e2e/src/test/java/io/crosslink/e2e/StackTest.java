package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.deploy.CrosslinkService;
import io.crosslink.deploy.ServiceWiring;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Elastic;
import io.crosslink.e2e.support.Http;
import io.crosslink.infra.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stack the scenarios run on: cloud-sim's three demo deployments on the e2e addresses, a database per service. */
@Order(1)
@ExtendWith(E2eStackExtension.class)
class StackTest {

    @Test
    void cloudSimPlaysTheDemoDeploymentsOnTheE2eAddresses(E2eStack stack) {
        SimDeployment local = stack.deployment(E2eStack.LOCAL_ID);
        SimDeployment remote = stack.deployment(E2eStack.REMOTE_ID);
        SimDeployment peer = stack.deployment(E2eStack.PEER_ID);
        assertEquals("ece", local.environment());
        assertEquals("ess", remote.environment());
        assertEquals("ece", peer.environment(), "peer shares local's ECE installation");
        assertEquals("http://" + E2eStack.LOCAL_ADDRESS + ":9243", local.serviceUrl());
        assertEquals("http://" + E2eStack.REMOTE_ADDRESS + ":9243", remote.serviceUrl());
        assertEquals("http://" + E2eStack.PEER_ADDRESS + ":9243", peer.serviceUrl());
        assertEquals(3, stack.deployments().size(), stack.deployments().toString());

        for (String seeded : List.of(E2eStack.REMOTE_ID, E2eStack.PEER_ID)) {
            Http.Response count = new Elastic(stack).elasticsearch(seeded, "GET", "/" + E2eStack.SEED_INDEX + "/_count");
            assertEquals(200, count.status(), count.toString());
            assertEquals(5, count.json().path("count").asInt(), count.toString());
        }
    }

    @Test
    void everyServiceHasItsOwnDatabase(E2eStack stack) throws Exception {
        for (String database : E2eStack.DATABASES) {
            try (Connection connection = DriverManager.getConnection(stack.postgres().jdbcUrl(database),
                    stack.postgres().username(), stack.postgres().password())) {
                assertTrue(connection.isValid(5), database);
                assertEquals(database, connection.getCatalog());
            }
        }
    }

    /**
     * Metrics are served on each service's management interface, without a token, and not on its API port, where
     * health stays open (probes read it) and everything else needs a bearer token.
     */
    @Test
    void metricsAnswerOnTheManagementPortOnly(E2eStack stack) {
        for (CrosslinkService service : CrosslinkService.values()) {
            ServiceProcess process = stack.service(service);
            Http.Response metrics = Http.get(process.managementUrl() + "/q/metrics");
            assertEquals(200, metrics.status(), service + " " + metrics);
            assertTrue(metrics.body().contains("jvm_memory_used_bytes"), service + ": no JVM metrics in " + metrics.url());

            assertEquals(404, Http.get(process.url() + "/q/metrics").status(), service + " serves metrics on its API port");
            assertEquals(200, Http.get(process.url() + "/q/health/ready").status(), service + " health on its API port");
        }
    }

    /**
     * Readiness is gated by the database and Kafka, and the services that call a Cloud API report each environment's
     * reachability as data (cloud-sim answers both), without its API key.
     */
    @Test
    void readinessCoversTheDatabaseAndKafkaAndReportsEachCloudApi(E2eStack stack) {
        for (CrosslinkService service : CrosslinkService.values()) {
            eventually(Duration.ofSeconds(45), () -> {
                JsonNode ready = Http.get(stack.service(service).url() + "/q/health/ready").json();
                assertEquals("UP", ready.path("status").asText(), service + " " + ready);
                Map<String, JsonNode> checks = new HashMap<>();
                ready.path("checks").forEach(check -> checks.put(check.path("name").asText(), check));
                assertEquals("UP", checks.get("Database connections health check").path("status").asText());
                assertEquals("UP", checks.get("SmallRye Reactive Messaging - readiness check").path("status").asText());
                JsonNode cloud = checks.get("Cloud API reachability").path("data");
                if (service == CrosslinkService.CONNECT || service == CrosslinkService.TRUST) {
                    assertTrue(cloud.path("ece").asText().startsWith("reachable (HTTP 200"), service + " " + cloud);
                    assertTrue(cloud.path("ess").asText().startsWith("reachable (HTTP 200"), service + " " + cloud);
                } else {
                    assertEquals("none configured", cloud.path("environments").asText(), service + " " + cloud);
                }
                ServiceWiring.DEV_API_KEYS.values().forEach(key ->
                        assertFalse(ready.toString().contains(key), service + " " + ready));
            });
        }
    }

    /** The first reading comes some seconds after the start: the check passes once it holds. */
    private static void eventually(Duration timeout, Runnable check) {
        Instant end = Instant.now().plus(timeout);
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | NullPointerException e) {
                if (Instant.now().isAfter(end)) {
                    throw e;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}

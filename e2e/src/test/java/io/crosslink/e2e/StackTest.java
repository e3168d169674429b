package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.deploy.CrosslinkService;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Elastic;
import io.crosslink.e2e.support.Http;
import io.crosslink.infra.ServiceProcess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
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
}

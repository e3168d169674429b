package io.crosslink.cloudsim;

import static io.crosslink.cloudsim.SimFixtures.ESS_KEY;
import static io.crosslink.cloudsim.SimFixtures.REMOTE_ID;
import static io.crosslink.cloudsim.SimFixtures.cloud;
import static io.crosslink.cloudsim.SimFixtures.elasticsearch;
import static io.crosslink.cloudsim.SimFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code _restart} restarts the real node; the deployment shows a pending plan until it is back, with its data. */
@QuarkusTest
class RestartTest {

    @Test
    void restartShowsAPendingPlanAndKeepsData() throws Exception {
        String path = "/api/v1/deployments/" + REMOTE_ID;
        long started = jvmStart();

        cloud(ESS_KEY).post(path + "/elasticsearch/main-elasticsearch/_restart").then().statusCode(202);
        JsonNode during = json(cloud(ESS_KEY).get(path));
        JsonNode plans = during.path("resources").path("elasticsearch").get(0).path("info").path("plan_info");
        assertTrue(plans.has("pending"), () -> "pending plan while restarting: " + plans);
        cloud(ESS_KEY).post(path + "/elasticsearch/main-elasticsearch/_restart").then().statusCode(422);

        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        JsonNode info;
        do {
            Thread.sleep(1000);
            info = json(cloud(ESS_KEY).get(path)).path("resources").path("elasticsearch").get(0).path("info");
        } while (info.path("plan_info").has("pending") && Instant.now().isBefore(deadline));
        assertEquals("started", info.path("status").asText());

        assertTrue(jvmStart() > started, "a new JVM answers");
        assertEquals(5, json(elasticsearch(REMOTE_ID).get("/demo-index/_count")).path("count").asInt(), "data kept");
    }

    private static long jvmStart() {
        JsonNode nodes = json(elasticsearch(REMOTE_ID).get("/_nodes/_local/jvm")).path("nodes");
        return nodes.elements().next().path("jvm").path("start_time_in_millis").asLong();
    }
}

package io.crosslink.cloudsim;

import static io.crosslink.cloudsim.SimFixtures.ECE_KEY;
import static io.crosslink.cloudsim.SimFixtures.ESS_KEY;
import static io.crosslink.cloudsim.SimFixtures.LOCAL_ID;
import static io.crosslink.cloudsim.SimFixtures.MAPPER;
import static io.crosslink.cloudsim.SimFixtures.PEER_ID;
import static io.crosslink.cloudsim.SimFixtures.REMOTE_ID;
import static io.crosslink.cloudsim.SimFixtures.admin;
import static io.crosslink.cloudsim.SimFixtures.cloud;
import static io.crosslink.cloudsim.SimFixtures.elasticsearch;
import static io.crosslink.cloudsim.SimFixtures.json;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /sim/faults} on the sim's real nodes: faults before forwarding leave Elasticsearch untouched, faults
 * after forwarding let the change happen and fail the answer; matching, counting and validation.
 */
@QuarkusTest
class FaultInjectionTest {
    private static final String LOCAL_ES = "/api/v1/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch";
    private static final String KEYSTORE = LOCAL_ES + "/keystore";
    private static final String PROXY = LOCAL_ES + "/proxy";

    @AfterEach
    void clearFaults() {
        given().delete("/sim/faults").then().statusCode(204);
    }

    @Test
    void statusBeforeAnswersWithoutTouchingTheKeystore() {
        String setting = "cluster.remote.fault_before.credentials";
        JsonNode fault = addFault("{\"deploymentId\":\"" + LOCAL_ID + "\",\"target\":\"cloud-api\",\"method\":\"PATCH\","
                + "\"path\":\".*/keystore\",\"status\":503,\"retryAfterSeconds\":2}");
        assertEquals("before", fault.path("phase").asText(), "default phase");

        Response patched = cloud(ECE_KEY).body(keystoreEntry(setting, "c2ltOmZhdWx0")).patch(KEYSTORE);
        assertEquals(503, patched.statusCode());
        assertEquals("2", patched.getHeader("Retry-After"));
        assertEquals("sim.fault_injected", patched.getHeader("x-cloud-error-codes"));
        JsonNode error = json(patched).path("errors").get(0);
        assertEquals("sim.fault_injected", error.path("code").asText());
        assertTrue(error.path("message").asText().contains(fault.path("id").asText()));

        JsonNode keystore = json(cloud(ECE_KEY).get(KEYSTORE)).path("secrets");
        assertFalse(keystore.has(setting), () -> "nothing written before forwarding: " + keystore);
        assertEquals(1, faultById(fault.path("id").asText()).path("hits").asInt(), "the GET did not match the method");
    }

    @Test
    void statusAfterAppliesTheChangeButFailsTheAnswer() {
        String setting = "cluster.remote.fault_after.credentials";
        addFault("{\"deploymentId\":\"" + LOCAL_ID + "\",\"target\":\"cloud-api\",\"method\":\"PATCH\","
                + "\"path\":\"/api/v1/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch/keystore\","
                + "\"phase\":\"after\",\"status\":503,\"times\":1}");
        try {
            Response patched = cloud(ECE_KEY).body(keystoreEntry(setting, "c2ltOmZhdWx0")).patch(KEYSTORE);
            assertEquals(503, patched.statusCode());
            assertEquals("sim.fault_injected", json(patched).path("errors").get(0).path("code").asText());
            assertFalse(patched.asString().contains("secrets"), "the real answer is replaced");

            JsonNode keystore = json(cloud(ECE_KEY).get(KEYSTORE)).path("secrets");
            assertTrue(keystore.has(setting), () -> "the change happened: " + keystore);
        } finally {
            cloud(ECE_KEY).body("{\"secrets\":{\"" + setting + "\":null}}").patch(KEYSTORE).then().statusCode(200);
        }
    }

    @Test
    void dropBeforeOnThePassThroughCreatesNoKey() {
        String name = "sim-fault-drop-before";
        addFault("{\"deploymentId\":\"" + REMOTE_ID + "\",\"target\":\"elasticsearch\",\"method\":\"POST\","
                + "\"path\":\"/_security/cross_cluster/api_key\",\"drop\":true,\"times\":1}");

        assertThrows(IOException.class, () -> createKeyDirectly(name));
        assertEquals(0, activeKeys(name), "the request never reached Elasticsearch");
    }

    @Test
    void dropAfterOnThePassThroughCreatesTheKeyButGivesNoAnswer() throws Exception {
        String name = "sim-fault-drop-after";
        addFault("{\"deploymentId\":\"" + REMOTE_ID + "\",\"target\":\"elasticsearch\",\"method\":\"POST\","
                + "\"path\":\"/_security/cross_cluster/api_key\",\"phase\":\"after\",\"drop\":true,\"times\":1}");
        try {
            assertThrows(IOException.class, () -> createKeyDirectly(name));
            assertEquals(1, activeKeys(name), "Elasticsearch created the key");
            assertEquals(200, createKeyDirectly(name), "times 1: the next call passes");
        } finally {
            elasticsearch(REMOTE_ID).body("{\"name\":\"" + name + "\"}").delete("/_security/api_key").then().statusCode(200);
        }
    }

    @Test
    void cloudApiDropBeforeAndAfterCloseTheConnection() throws Exception {
        addFault("{\"deploymentId\":\"" + LOCAL_ID + "\",\"method\":\"GET\",\"path\":\"/api/v1/deployments/[0-9a-f]+\","
                + "\"drop\":true}");
        assertThrows(IOException.class, () -> sendDirectly(HttpRequest.newBuilder(sim("/api/v1/deployments/" + LOCAL_ID))
                .header("Authorization", "ApiKey " + ECE_KEY).GET().build()));
        given().delete("/sim/faults").then().statusCode(204);

        String remoteClusters = LOCAL_ES + "/remote-clusters";
        addFault("{\"target\":\"cloud-api\",\"method\":\"PUT\",\"path\":\".*/remote-clusters\",\"phase\":\"after\","
                + "\"drop\":true,\"times\":1}");
        try {
            String peers = "{\"resources\":[{\"deployment_id\":\"" + LOCAL_ID
                    + "\",\"elasticsearch_ref_id\":\"main-elasticsearch\",\"alias\":\"fault-peer\",\"skip_unavailable\":true}]}";
            assertThrows(IOException.class, () -> sendDirectly(HttpRequest.newBuilder(sim(remoteClusters))
                    .header("Authorization", "ApiKey " + ECE_KEY).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(peers)).build()));
            JsonNode listed = json(cloud(ECE_KEY).get(remoteClusters)).path("resources");
            assertEquals("fault-peer", listed.path(0).path("alias").asText(), "the change happened: " + listed);
        } finally {
            cloud(ECE_KEY).body("{\"resources\":[]}").put(remoteClusters).then().statusCode(202);
        }
    }

    @Test
    void elasticsearchFaultsAnswerInElasticsearchShapeOnPassThroughAndProxy() {
        addFault("{\"deploymentId\":\"" + REMOTE_ID + "\",\"target\":\"elasticsearch\",\"path\":\"/_cluster/health\","
                + "\"status\":429,\"retryAfterSeconds\":1}");
        Response limited = elasticsearch(REMOTE_ID).get("/_cluster/health");
        assertEquals(429, limited.statusCode());
        assertEquals("1", limited.getHeader("Retry-After"));
        assertEquals("Elasticsearch", limited.getHeader("X-Elastic-Product"));
        assertEquals("sim_fault_injected", json(limited).path("error").path("type").asText());
        assertEquals(429, json(limited).path("status").asInt());
        assertEquals(200, elasticsearch(LOCAL_ID).get("/_cluster/health").statusCode(), "other deployment untouched");
        assertEquals(200, elasticsearch(REMOTE_ID).get("/_cluster/health/demo-index").statusCode(), "full match only");

        // ECE's proxy API counts as Elasticsearch, matched on the path after /proxy.
        addFault("{\"deploymentId\":\"" + LOCAL_ID + "\",\"target\":\"elasticsearch\",\"method\":\"PUT\","
                + "\"path\":\"/_cluster/settings\",\"status\":503,\"body\":\"proxy overloaded\"}");
        Response proxied = cloud(ECE_KEY).header("X-Management-Request", "true")
                .body("{\"persistent\":{\"cluster\":{\"remote\":{\"never\":{\"mode\":\"proxy\",\"proxy_address\":\"127.0.20.2:9443\"}}}}}")
                .put(PROXY + "/_cluster/settings");
        assertEquals(503, proxied.statusCode());
        assertEquals("proxy overloaded", proxied.asString(), "the given body replaces the default");
        assertTrue(proxied.getContentType().startsWith("text/plain"));
        JsonNode settings = json(cloud(ECE_KEY).header("X-Management-Request", "true")
                .get(PROXY + "/_cluster/settings?flat_settings=true"));
        assertFalse(settings.path("persistent").has("cluster.remote.never.mode"), "nothing forwarded");
        assertEquals(200, cloud(ECE_KEY).get("/api/v1/deployments/" + LOCAL_ID).statusCode(), "Cloud API untouched");

        addFault("{\"target\":\"elasticsearch\",\"path\":\"/_cluster/health\",\"phase\":\"after\",\"status\":500}");
        Response proxyAfter = cloud(ECE_KEY).header("X-Management-Request", "true").get(PROXY + "/_cluster/health");
        assertEquals(500, proxyAfter.statusCode());
        assertEquals("sim_fault_injected", json(proxyAfter).path("error").path("type").asText());
    }

    @Test
    void filtersByTargetMethodAndDeployment() {
        JsonNode putOnly = addFault("{\"deploymentId\":\"" + REMOTE_ID + "\",\"method\":\"PUT\",\"status\":502}");
        assertEquals(200, cloud(ESS_KEY).get("/api/v1/deployments/" + REMOTE_ID).statusCode(), "not this method");
        given().delete("/sim/faults/" + putOnly.path("id").asText()).then().statusCode(204);

        JsonNode fault = addFault("{\"deploymentId\":\"" + REMOTE_ID + "\",\"target\":\"cloud-api\",\"method\":\"GET\","
                + "\"status\":502}");
        assertEquals(200, elasticsearch(REMOTE_ID).get("/_cluster/health").statusCode(), "not the pass-through");
        assertEquals(200, cloud(ECE_KEY).get("/api/v1/deployments/" + LOCAL_ID).statusCode(), "not this deployment");
        assertEquals(200, cloud(ESS_KEY).get("/api/v1/deployments").statusCode(), "a listing names no deployment");
        assertEquals(502, cloud(ESS_KEY).get("/api/v1/deployments/" + REMOTE_ID).statusCode());
        assertEquals(1, faultById(fault.path("id").asText()).path("hits").asInt());
    }

    @Test
    void latencyDelaysBeforeAndAfterForwarding() {
        addFault("{\"target\":\"elasticsearch\",\"path\":\"/_cluster/health\",\"latencyMs\":500,\"times\":1}");
        long started = System.nanoTime();
        assertEquals(200, elasticsearch(REMOTE_ID).get("/_cluster/health").statusCode(), "slow but successful");
        assertTrue(elapsedMs(started) >= 500, "pass-through delayed");

        addFault("{\"target\":\"cloud-api\",\"path\":\"/api/v1/deployments/.*\",\"latencyMs\":500,\"times\":1}");
        started = System.nanoTime();
        assertEquals(200, cloud(ESS_KEY).get("/api/v1/deployments/" + REMOTE_ID).statusCode(), "slow but successful");
        assertTrue(elapsedMs(started) >= 500, "Cloud API delayed before");

        addFault("{\"target\":\"cloud-api\",\"path\":\"/api/v1/deployments/.*\",\"phase\":\"after\",\"latencyMs\":500,"
                + "\"status\":504,\"times\":1}");
        started = System.nanoTime();
        assertEquals(504, cloud(ESS_KEY).get("/api/v1/deployments/" + REMOTE_ID).statusCode());
        assertTrue(elapsedMs(started) >= 500, "Cloud API delayed after");
    }

    @Test
    void latencyOnADeploymentSlowsAllItsCallsOnBothTargetsEveryTime() {
        JsonNode fault = addFault("{\"deploymentId\":\"" + LOCAL_ID + "\",\"latencyMs\":700}");
        assertFalse(fault.has("times"), "unlimited");
        for (int round = 0; round < 2; round++) {
            long started = System.nanoTime();
            assertEquals(200, cloud(ECE_KEY).get("/api/v1/deployments/" + LOCAL_ID).statusCode(), "slow but successful");
            assertTrue(elapsedMs(started) >= 700, "Cloud API delayed");
            started = System.nanoTime();
            assertEquals(200, cloud(ECE_KEY).get(KEYSTORE).statusCode());
            assertTrue(elapsedMs(started) >= 700, "every Cloud API call of the deployment");
            started = System.nanoTime();
            assertEquals(200, elasticsearch(LOCAL_ID).get("/_cluster/health").statusCode());
            assertTrue(elapsedMs(started) >= 700, "service_url pass-through delayed");
            started = System.nanoTime();
            assertEquals(200, cloud(ECE_KEY).header("X-Management-Request", "true").get(PROXY + "/_cluster/health").statusCode());
            assertTrue(elapsedMs(started) >= 700, "ECE proxy API delayed");
        }
        assertEquals(8, faultById(fault.path("id").asText()).path("hits").asInt());

        assertEquals(200, cloud(ESS_KEY).get("/api/v1/deployments/" + REMOTE_ID).statusCode());
        assertEquals(200, elasticsearch(REMOTE_ID).get("/_cluster/health").statusCode());
        assertEquals(200, cloud(ECE_KEY).get("/api/v1/deployments").statusCode());
        JsonNode listed = faultById(fault.path("id").asText());
        assertEquals(8, listed.path("hits").asInt(), "other deployments and the listing are not slowed");
        assertFalse(listed.has("remaining"));
        assertFalse(listed.path("exhausted").asBoolean());
    }

    @Test
    void aPlanFaultKeepsOneDeploymentsTrustChangePending() throws InterruptedException {
        JsonNode fault = addFault("{\"deploymentId\":\"" + LOCAL_ID + "\",\"target\":\"plan\",\"pendingSeconds\":8,\"times\":1}");
        assertEquals("plan", fault.path("target").asText());
        assertEquals(8, fault.path("pendingSeconds").asInt());
        assertFalse(fault.has("phase"));
        // Not a call fault: the deployment's calls answer as usual and do not count.
        assertEquals(200, cloud(ECE_KEY).get("/api/v1/deployments/" + LOCAL_ID).statusCode());
        assertEquals(200, elasticsearch(LOCAL_ID).get("/_cluster/health").statusCode());
        assertEquals(0, faultById(fault.path("id").asText()).path("hits").asInt());

        try {
            rewriteTrust(LOCAL_ID);
            rewriteTrust(PEER_ID);
            assertTrue(planPending(LOCAL_ID));
            awaitNoPendingPlan(PEER_ID, Duration.ofSeconds(60)); // sim.trust-plan-duration: 3 s
            assertTrue(planPending(LOCAL_ID), "the faulted deployment's plan is still pending");
            JsonNode listed = faultById(fault.path("id").asText());
            assertEquals(1, listed.path("hits").asInt());
            assertTrue(listed.path("exhausted").asBoolean());
        } finally {
            awaitNoPendingPlan(LOCAL_ID, Duration.ofSeconds(60));
        }
    }

    @Test
    void statusAfterOnThePassThroughLetsElasticsearchAct() {
        String index = "sim-fault-after";
        addFault("{\"deploymentId\":\"" + REMOTE_ID + "\",\"target\":\"elasticsearch\",\"method\":\"PUT\","
                + "\"path\":\"/sim-fault-.*\",\"phase\":\"after\",\"status\":503}");
        try {
            Response created = elasticsearch(REMOTE_ID).put("/" + index);
            assertEquals(503, created.statusCode());
            assertEquals("sim_fault_injected", json(created).path("error").path("type").asText());
            assertEquals(200, elasticsearch(REMOTE_ID).head("/" + index).statusCode(), "the index exists");
        } finally {
            elasticsearch(REMOTE_ID).delete("/" + index);
        }
    }

    @Test
    void timesAreCountedDownAndTheFaultIsExhausted() {
        JsonNode fault = addFault("{\"target\":\"elasticsearch\",\"path\":\"/_cluster/health\",\"status\":503,\"times\":2}");
        assertEquals(2, fault.path("remaining").asInt());
        assertEquals(503, elasticsearch(REMOTE_ID).get("/_cluster/health").statusCode());
        assertEquals(503, elasticsearch(LOCAL_ID).get("/_cluster/health").statusCode());
        assertEquals(200, elasticsearch(REMOTE_ID).get("/_cluster/health").statusCode());
        JsonNode listed = faultById(fault.path("id").asText());
        assertEquals(2, listed.path("hits").asInt());
        assertEquals(0, listed.path("remaining").asInt());
        assertTrue(listed.path("exhausted").asBoolean());
    }

    @Test
    void probabilityZeroNeverAppliesAndOneAlwaysApplies() {
        JsonNode never = addFault("{\"target\":\"elasticsearch\",\"path\":\"/_cluster/health\",\"status\":503,\"probability\":0}");
        for (int i = 0; i < 10; i++) {
            assertEquals(200, elasticsearch(REMOTE_ID).get("/_cluster/health").statusCode());
        }
        assertEquals(0, faultById(never.path("id").asText()).path("hits").asInt());
        given().delete("/sim/faults/" + never.path("id").asText()).then().statusCode(204);

        JsonNode always = addFault("{\"target\":\"elasticsearch\",\"path\":\"/_cluster/health\",\"status\":503,\"probability\":1}");
        for (int i = 0; i < 10; i++) {
            assertEquals(503, elasticsearch(REMOTE_ID).get("/_cluster/health").statusCode());
        }
        assertEquals(10, faultById(always.path("id").asText()).path("hits").asInt());
    }

    @Test
    void theFirstMatchingFaultInCreationOrderApplies() {
        JsonNode first = addFault("{\"target\":\"elasticsearch\",\"path\":\"/_cluster/.*\",\"status\":503,\"times\":1}");
        JsonNode second = addFault("{\"target\":\"elasticsearch\",\"path\":\"/_cluster/health\",\"status\":429}");
        assertEquals(503, elasticsearch(REMOTE_ID).get("/_cluster/health").statusCode());
        assertEquals(429, elasticsearch(REMOTE_ID).get("/_cluster/health").statusCode(), "first is exhausted");
        assertEquals(1, faultById(first.path("id").asText()).path("hits").asInt());
        assertEquals(1, faultById(second.path("id").asText()).path("hits").asInt());
    }

    @Test
    void listsDeletesAndClearsFaults() {
        JsonNode a = addFault("{\"method\":\"post\",\"path\":\"/nothing-a\",\"status\":500}");
        JsonNode b = addFault("{\"path\":\"/nothing-b\",\"latencyMs\":10,\"probability\":0.5}");
        assertEquals("POST", a.path("method").asText(), "method normalized");
        assertEquals(0, a.path("hits").asInt());
        assertTrue(a.path("remaining").isMissingNode(), "unlimited");

        JsonNode listed = json(given().get("/sim/faults")).path("faults");
        assertEquals(2, listed.size());
        assertEquals(a.path("id").asText(), listed.get(0).path("id").asText(), "creation order");
        assertEquals(0.5, listed.get(1).path("probability").asDouble());

        given().delete("/sim/faults/" + a.path("id").asText()).then().statusCode(204);
        JsonNode remaining = json(given().get("/sim/faults")).path("faults");
        assertEquals(1, remaining.size());
        assertEquals(b.path("id").asText(), remaining.get(0).path("id").asText());
        Response unknown = given().delete("/sim/faults/" + a.path("id").asText());
        assertEquals(404, unknown.statusCode());
        assertEquals("sim.fault_not_found", json(unknown).path("errors").get(0).path("code").asText());

        given().delete("/sim/faults").then().statusCode(204);
        assertEquals(0, json(given().get("/sim/faults")).path("faults").size());
    }

    @Test
    void rejectsInvalidFaultsInTheSimsErrorShape() {
        assertInvalid("{\"path\":\"([\",\"status\":503}", "path");
        assertInvalid("{\"probability\":1.5,\"status\":503}", "probability");
        assertInvalid("{\"probability\":-0.1,\"status\":503}", "probability");
        assertInvalid("{\"status\":99}", "status");
        assertInvalid("{\"status\":600}", "status");
        assertInvalid("{\"status\":\"503\"}", "status");
        assertInvalid("{\"target\":\"kibana\",\"status\":503}", "target");
        assertInvalid("{\"phase\":\"during\",\"status\":503}", "phase");
        assertInvalid("{\"deploymentId\":\"ffffffffffffffffffffffffffffffff\",\"status\":503}", "deploymentId");
        assertInvalid("{\"times\":0,\"status\":503}", "times");
        assertInvalid("{\"latencyMs\":-1}", "latencyMs");
        assertInvalid("{\"drop\":true,\"status\":503}", "drop");
        assertInvalid("{\"body\":\"x\"}", "body");
        assertInvalid("{\"path\":\".*\"}", "status");
        assertInvalid("{\"statuss\":503,\"drop\":true}", "statuss");
        assertInvalid("{\"target\":\"plan\"}", "pendingSeconds");
        assertInvalid("{\"target\":\"plan\",\"pendingSeconds\":-1}", "pendingSeconds");
        assertInvalid("{\"target\":\"plan\",\"pendingSeconds\":86401}", "pendingSeconds");
        assertInvalid("{\"target\":\"plan\",\"pendingSeconds\":10,\"status\":503}", "status");
        assertInvalid("{\"target\":\"plan\",\"pendingSeconds\":10,\"latencyMs\":5}", "latencyMs");
        assertInvalid("{\"target\":\"plan\",\"pendingSeconds\":10,\"path\":\".*\"}", "path");
        assertInvalid("{\"pendingSeconds\":10,\"status\":503}", "pendingSeconds");
        assertEquals(0, json(given().get("/sim/faults")).path("faults").size(), "nothing was added");
    }

    private static JsonNode addFault(String body) {
        Response created = given().contentType("application/json").body(body).post("/sim/faults");
        assertEquals(201, created.statusCode(), created::asString);
        JsonNode fault = json(created);
        assertEquals(0, fault.path("hits").asInt());
        assertTrue(created.getHeader("Location").endsWith("/sim/faults/" + fault.path("id").asText()));
        return fault;
    }

    private static JsonNode faultById(String id) {
        for (JsonNode fault : json(given().get("/sim/faults")).path("faults")) {
            if (id.equals(fault.path("id").asText())) {
                return fault;
            }
        }
        throw new AssertionError("no fault " + id);
    }

    private static void assertInvalid(String body, String field) {
        Response rejected = given().contentType("application/json").body(body).post("/sim/faults");
        assertEquals(400, rejected.statusCode(), () -> body + " -> " + rejected.asString());
        JsonNode error = json(rejected).path("errors").get(0);
        assertEquals("sim.invalid_fault", error.path("code").asText());
        List<String> fields = new ArrayList<>();
        error.path("fields").forEach(f -> fields.add(f.asText()));
        assertTrue(fields.contains(field), () -> body + " should name " + field + ": " + error);
    }

    private static String keystoreEntry(String setting, String value) {
        return "{\"secrets\":{\"" + setting + "\":{\"value\":\"" + value + "\"}}}";
    }

    /** Through the pass-through with the JDK client: a dropped connection surfaces as an IOException, no retry of a POST. */
    private static int createKeyDirectly(String name) throws IOException, InterruptedException {
        JsonNode remote = admin(REMOTE_ID);
        String credentials = remote.path("username").asText() + ":" + remote.path("password").asText();
        return sendDirectly(HttpRequest.newBuilder(URI.create(remote.path("serviceUrl").asText() + "/_security/cross_cluster/api_key"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"access\":{\"search\":[{\"names\":[\"demo-*\"]}]}}"))
                .build());
    }

    private static int sendDirectly(HttpRequest request) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static URI sim(String path) {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + path);
    }

    private static int activeKeys(String name) {
        Response keys = elasticsearch(REMOTE_ID).queryParam("name", name).queryParam("active_only", true)
                .get("/_security/api_key");
        return keys.statusCode() == 404 ? 0 : json(keys).path("api_keys").size();
    }

    /** PUT of the deployment's current trust, unchanged: a trust change all the same, so a plan. */
    private static void rewriteTrust(String id) {
        JsonNode deployment = json(cloud(ECE_KEY).queryParam("show_settings", true).get("/api/v1/deployments/" + id));
        JsonNode es = deployment.path("resources").path("elasticsearch").get(0);
        ObjectNode request = MAPPER.createObjectNode().put("prune_orphans", false);
        ObjectNode payload = request.putObject("resources").putArray("elasticsearch").addObject();
        payload.put("ref_id", es.path("ref_id").asText()).put("region", es.path("region").asText());
        payload.set("plan", es.path("info").path("plan_info").path("current").path("plan"));
        payload.putObject("settings").set("trust", es.path("info").path("settings").path("trust"));
        Response response = cloud(ECE_KEY).body(request.toString()).put("/api/v1/deployments/" + id);
        assertEquals(200, response.statusCode(), response::asString);
    }

    private static boolean planPending(String id) {
        return json(cloud(ECE_KEY).get("/api/v1/deployments/" + id)).path("resources").path("elasticsearch").get(0)
                .path("info").path("plan_info").has("pending");
    }

    private static void awaitNoPendingPlan(String id, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (planPending(id)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("plan of " + id + " still pending");
            }
            Thread.sleep(200);
        }
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}

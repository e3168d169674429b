package io.crosslink.cloudsim;

import static io.crosslink.cloudsim.SimFixtures.ECE_INSTALLATION;
import static io.crosslink.cloudsim.SimFixtures.ECE_KEY;
import static io.crosslink.cloudsim.SimFixtures.LOCAL_ID;
import static io.crosslink.cloudsim.SimFixtures.MAPPER;
import static io.crosslink.cloudsim.SimFixtures.PEER_CLUSTER;
import static io.crosslink.cloudsim.SimFixtures.PEER_ID;
import static io.crosslink.cloudsim.SimFixtures.REMOTE_ID;
import static io.crosslink.cloudsim.SimFixtures.cloud;
import static io.crosslink.cloudsim.SimFixtures.elasticsearch;
import static io.crosslink.cloudsim.SimFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.cloudsim.contract.SwaggerContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ECE remote-clusters API on real nodes, local and peer being two deployments of one ECE installation (they trust
 * each other by default): PUT replaces the whole managed list and writes ECE-style cluster settings on local (new
 * aliases in proxy mode to {@code endpoint:9300}, dropped aliases nulled in the same request), leaves aliases it did
 * not write alone, serializes concurrent PUTs (last writer wins), and GET shows each remote's live state.
 */
@QuarkusTest
class RemoteClustersApiTest {
    private static final String API_PATH = "/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch/remote-clusters";
    private static final String PATH = "/api/v1" + API_PATH;
    private static SwaggerContract ece;

    @BeforeAll
    static void loadSpec() {
        ece = SwaggerContract.ece();
    }

    @AfterEach
    void emptyList() {
        cloud(ECE_KEY).body("{\"resources\":[]}").put(PATH).then().statusCode(202);
    }

    @Test
    void connectsLocalToPeerWithEceStyleSettingsAndShowsTheLiveState() throws Exception {
        put(ref(PEER_ID, "Peer_One", true));
        Map<String, String> settings = remoteSettings();
        assertEquals(Map.of("cluster.remote.Peer_One.mode", "proxy",
                "cluster.remote.Peer_One.proxy_address", "127.0.20.3:9300",
                "cluster.remote.Peer_One.server_name", "127.0.20.3",
                "cluster.remote.Peer_One.skip_unavailable", "true"), settings, "upper-case alias, ECE transport port");

        assertTrue(awaitConnected("Peer_One"), "same installation: trusted both ways by default");
        Response search = elasticsearch(LOCAL_ID).get("/Peer_One:demo-index/_search");
        assertEquals(200, search.statusCode(), search::asString);
        JsonNode hits = json(search).path("hits");
        assertEquals(5, hits.path("total").path("value").asInt(), search::asString);
        assertEquals("peer", hits.path("hits").get(0).path("_source").path("deployment").asText());

        JsonNode listed = get().path("resources");
        assertEquals(1, listed.size(), listed::toString);
        JsonNode entry = listed.get(0);
        assertEquals(List.of(PEER_ID, "main-elasticsearch", "Peer_One", "true"), List.of(entry.path("deployment_id").asText(),
                entry.path("elasticsearch_ref_id").asText(), entry.path("alias").asText(), entry.path("skip_unavailable").asText()));
        ObjectNode expectedInfo = MAPPER.createObjectNode().put("healthy", true).put("connected", true).put("compatible", true)
                .put("trusted", true).put("trusted_back", true);
        assertEquals(expectedInfo, entry.path("info"));
    }

    @Test
    void putReplacesTheWholeListAndNullsDroppedAliasesInOneRequest() {
        // An alias the remote-clusters API did not write (as an API-key remote would be).
        elasticsearch(LOCAL_ID).body("{\"persistent\":{\"cluster\":{\"remote\":{\"unmanaged\":{\"mode\":\"proxy\","
                + "\"proxy_address\":\"127.0.20.2:9443\"}}}}}").put("/_cluster/settings").then().statusCode(200);
        try {
            put(ref(PEER_ID, "first", true), ref(PEER_ID, "second", false));
            assertEquals(List.of("first", "second"), listedAliases());
            put(ref(PEER_ID, "second", false), ref(LOCAL_ID, "third", true));
            assertEquals(List.of("second", "third"), listedAliases(), "the list is replaced, not merged");

            Map<String, String> settings = remoteSettings();
            assertTrue(settings.keySet().stream().noneMatch(key -> key.startsWith("cluster.remote.first.")),
                    () -> "dropped alias nulled, skip_unavailable included: " + settings);
            assertEquals("127.0.20.3:9300", settings.get("cluster.remote.second.proxy_address"));
            assertEquals("false", settings.get("cluster.remote.second.skip_unavailable"));
            assertEquals("127.0.20.1:9300", settings.get("cluster.remote.third.proxy_address"));
            assertEquals("127.0.20.2:9443", settings.get("cluster.remote.unmanaged.proxy_address"), "unmanaged alias kept");

            put();
            assertEquals(List.of(), listedAliases());
            assertEquals(Map.of("cluster.remote.unmanaged.mode", "proxy", "cluster.remote.unmanaged.proxy_address",
                    "127.0.20.2:9443"), remoteSettings(), "[] removes every managed alias, nothing else");
        } finally {
            elasticsearch(LOCAL_ID).body("{\"persistent\":{\"cluster\":{\"remote\":{\"unmanaged\":{\"mode\":null,"
                    + "\"proxy_address\":null}}}}}").put("/_cluster/settings");
        }
    }

    @Test
    void concurrentPutsAreSerializedAndTheLastWriterWins() throws Exception {
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = body(ref(PEER_ID, "race_" + i, true)).toString();
                answers.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    return cloud(ECE_KEY).body(body).put(PATH).statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                assertEquals(202, answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> listed = listedAliases();
        assertEquals(1, listed.size(), () -> "one writer's list wins whole: " + listed);
        String winner = listed.get(0);
        Map<String, String> settings = remoteSettings();
        assertTrue(settings.keySet().stream().allMatch(key -> key.startsWith("cluster.remote." + winner + ".")),
                () -> "every loser's alias was nulled by a later writer: " + settings);
        assertEquals("127.0.20.3:9300", settings.get("cluster.remote." + winner + ".proxy_address"));
    }

    @Test
    void trustedBackFollowsThePeersTrustSettings() throws Exception {
        put(ref(PEER_ID, "peer_trust", true));
        // The peer trusts only its own cluster: local is no longer trusted back (local still trusts the peer).
        ObjectNode ownClusterOnly = MAPPER.createObjectNode();
        ownClusterOnly.putArray("accounts").addObject().put("account_id", ECE_INSTALLATION).put("name", "only me")
                .put("trust_all", false).putArray("trust_allowlist").add(PEER_CLUSTER);
        updateTrust(PEER_ID, ownClusterOnly);
        try {
            JsonNode info = get().path("resources").get(0).path("info");
            assertTrue(info.path("trusted").asBoolean(), info::toString);
            assertFalse(info.path("trusted_back").asBoolean(), info::toString);
        } finally {
            updateTrust(PEER_ID, MAPPER.nullNode());
        }
        assertTrue(get().path("resources").get(0).path("info").path("trusted_back").asBoolean(), "default trust again");
    }

    @Test
    void refusesInvalidListsNamingTheField() {
        assertRefused(400, "root.invalid_json_request", "resources[1].alias", ref(PEER_ID, "ok", true), ref(PEER_ID, "not.ok", true));
        assertRefused(400, "root.invalid_json_request", "resources[1].alias", ref(PEER_ID, "same", true), ref(LOCAL_ID, "same", true));
        assertRefused(404, "deployments.deployment_remote_resource_not_found", "resources[0].deployment_id",
                ref(REMOTE_ID, "elastic_cloud", true));
        assertEquals(List.of(), listedAliases(), "nothing applied");
    }

    private static void assertRefused(int status, String code, String field, ObjectNode... refs) {
        Response response = cloud(ECE_KEY).body(body(refs).toString()).put(PATH);
        assertEquals(status, response.statusCode(), response::asString);
        JsonNode error = json(response).path("errors").get(0);
        assertEquals(code, error.path("code").asText(), error::toString);
        assertEquals(field, error.path("fields").get(0).asText(), error::toString);
    }

    private static ObjectNode ref(String deploymentId, String alias, boolean skipUnavailable) {
        return MAPPER.createObjectNode().put("deployment_id", deploymentId).put("elasticsearch_ref_id", "main-elasticsearch")
                .put("alias", alias).put("skip_unavailable", skipUnavailable);
    }

    private static ObjectNode body(ObjectNode... refs) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode resources = body.putArray("resources");
        List.of(refs).forEach(resources::add);
        return body;
    }

    private static void put(ObjectNode... refs) {
        Response response = cloud(ECE_KEY).body(body(refs).toString()).put(PATH);
        assertEquals(202, response.statusCode(), response::asString);
        assertEquals(List.of(), ece.validateResponse("PUT", API_PATH, 202, json(response)));
    }

    private static JsonNode get() {
        Response response = cloud(ECE_KEY).get(PATH);
        assertEquals(200, response.statusCode(), response::asString);
        JsonNode body = json(response);
        assertEquals(List.of(), ece.validateResponse("GET", API_PATH, 200, body), body::toString);
        return body;
    }

    private static List<String> listedAliases() {
        List<String> aliases = new ArrayList<>();
        get().path("resources").forEach(entry -> aliases.add(entry.path("alias").asText()));
        return aliases;
    }

    /** Local's persistent {@code cluster.remote.*} settings, flat, read on the node. */
    private static Map<String, String> remoteSettings() {
        Map<String, String> settings = new TreeMap<>();
        json(elasticsearch(LOCAL_ID).get("/_cluster/settings?flat_settings=true")).path("persistent").properties()
                .forEach(setting -> {
                    if (setting.getKey().startsWith("cluster.remote.")) {
                        settings.put(setting.getKey(), setting.getValue().asText());
                    }
                });
        return settings;
    }

    private static boolean awaitConnected(String alias) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        do {
            // _resolve/cluster connects actively; _remote/info alone would not retry a failed connection.
            JsonNode resolved = json(elasticsearch(LOCAL_ID).get("/_resolve/cluster/" + alias + ":*")).path(alias);
            if (resolved.path("connected").asBoolean()) {
                return true;
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        return false;
    }

    /** {@code PUT /deployments/{id}} with the current plan and this trust (null node: back to the default). */
    private static void updateTrust(String id, JsonNode trust) {
        JsonNode es = json(cloud(ECE_KEY).get("/api/v1/deployments/" + id)).path("resources").path("elasticsearch").get(0);
        ObjectNode request = MAPPER.createObjectNode().put("prune_orphans", false);
        ObjectNode payload = request.putObject("resources").putArray("elasticsearch").addObject();
        payload.put("ref_id", es.path("ref_id").asText()).put("region", es.path("region").asText());
        payload.set("plan", es.path("info").path("plan_info").path("current").path("plan"));
        payload.putObject("settings").set("trust", trust);
        cloud(ECE_KEY).body(request.toString()).put("/api/v1/deployments/" + id).then().statusCode(200);
    }
}

package io.crosslink.cloudsim;

import static io.crosslink.cloudsim.SimFixtures.ECE_KEY;
import static io.crosslink.cloudsim.SimFixtures.LOCAL_ID;
import static io.crosslink.cloudsim.SimFixtures.REMOTE_ID;
import static io.crosslink.cloudsim.SimFixtures.admin;
import static io.crosslink.cloudsim.SimFixtures.cloud;
import static io.crosslink.cloudsim.SimFixtures.elasticsearch;
import static io.crosslink.cloudsim.SimFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The manual API-key recipe, on the sim's two real nodes: a cross-cluster API key created on "remote"
 * (Elastic Cloud) through its service_url, put in "local"'s (ECE) keystore through the Cloud API, the
 * remote registered with {@code _cluster/settings} through ECE's proxy, and {@code _remote/info} connected.
 */
@QuarkusTest
class RemoteConnectionTest {
    private static final String PROXY = "/api/v1/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch/proxy";
    private static final String KEYSTORE = "/api/v1/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch/keystore";

    @Test
    void apiKeyModelConnectsLocalToRemote() throws Exception {
        String alias = "sim_proof";
        JsonNode remote = json(cloud(SimFixtures.ESS_KEY).get("/api/v1/deployments/" + REMOTE_ID));
        String endpoint = remote.path("resources").path("elasticsearch").get(0).path("info").path("metadata")
                .path("endpoint").asText();

        Response key = elasticsearch(REMOTE_ID)
                .body("{\"name\":\"sim-proof\",\"access\":{\"search\":[{\"names\":[\"demo-*\"]}]}}")
                .post("/_security/cross_cluster/api_key");
        assertEquals(200, key.statusCode(), key::asString);
        String encoded = json(key).path("encoded").asText();
        String keyId = json(key).path("id").asText();

        try {
            cloud(ECE_KEY).body("{\"secrets\":{\"cluster.remote." + alias + ".credentials\":{\"value\":\"" + encoded + "\"}}}")
                    .patch(KEYSTORE).then().statusCode(200);

            Response settings = proxy().body("{\"persistent\":{\"cluster\":{\"remote\":{\"" + alias + "\":{\"mode\":\"proxy\","
                    + "\"proxy_address\":\"" + endpoint + ":9443\",\"server_name\":\"" + endpoint + "\"}}}}}")
                    .put(PROXY + "/_cluster/settings");
            assertEquals(200, settings.statusCode(), settings::asString);

            JsonNode info = awaitConnected(alias);
            assertEquals("::es_redacted::", info.path("cluster_credentials").asText(), "API-key model in use");
            assertEquals(endpoint + ":9443", info.path("proxy_address").asText());

            Response search = proxy().get(PROXY + "/" + alias + ":demo-index/_search");
            assertEquals(200, search.statusCode(), search::asString);
            assertEquals(5, json(search).path("hits").path("total").path("value").asInt(), "remote documents");

            Response forbidden = proxy().get(PROXY + "/" + alias + ":other-index/_search");
            assertFalse(forbidden.statusCode() == 200 && json(forbidden).path("hits").path("total").path("value").asInt() > 0);
        } finally {
            proxy().body("{\"persistent\":{\"cluster\":{\"remote\":{\"" + alias + "\":{\"mode\":null,\"proxy_address\":null,"
                    + "\"server_name\":null,\"skip_unavailable\":null}}}}}").put(PROXY + "/_cluster/settings");
            cloud(ECE_KEY).body("{\"secrets\":{\"cluster.remote." + alias + ".credentials\":null}}").patch(KEYSTORE);
            elasticsearch(REMOTE_ID).body("{\"ids\":[\"" + keyId + "\"]}").delete("/_security/api_key");
        }
    }

    @Test
    void proxyPassesElasticsearchStatusAndBodyThrough() {
        Response missing = proxy().get(PROXY + "/no-such-index/_search");
        assertEquals(404, missing.statusCode());
        assertEquals("index_not_found_exception", json(missing).path("error").path("type").asText());

        Response withoutHeader = cloud(ECE_KEY).get(PROXY + "/_cluster/health");
        assertEquals(400, withoutHeader.statusCode());
        assertEquals("X-Management-Request", json(withoutHeader).path("errors").get(0).path("fields").get(0).asText());
    }

    @Test
    void serviceUrlForwardsToTheNodeWithTheCallersCredentials() {
        Response health = elasticsearch(LOCAL_ID).get("/_cluster/health");
        assertEquals(200, health.statusCode());
        assertEquals("local", json(health).path("cluster_name").asText());
        assertEquals(200, elasticsearch(REMOTE_ID).head("/demo-index").statusCode(), "HEAD passes through");
        assertEquals(404, elasticsearch(REMOTE_ID).head("/no-such-index").statusCode());
        JsonNode local = admin(LOCAL_ID);
        Response anonymous = io.restassured.RestAssured.given().baseUri(local.path("serviceUrl").asText()).get("/_cluster/health");
        assertEquals(401, anonymous.statusCode(), "security is on; the pass-through adds no credentials");
    }

    private static RequestSpecification proxy() {
        return cloud(ECE_KEY).header("X-Management-Request", "true");
    }

    private static JsonNode awaitConnected(String alias) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode info;
        do {
            // _resolve/cluster connects actively; _remote/info alone would not retry a failed connection.
            proxy().get(PROXY + "/_resolve/cluster/" + alias + ":demo-*");
            info = json(proxy().get(PROXY + "/_remote/info")).path(alias);
            if (info.path("connected").asBoolean(false)) {
                return info;
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("remote " + alias + " did not connect: " + info);
    }
}

package io.crosslink.cloudsim;

import static io.crosslink.cloudsim.SimFixtures.ECE_KEY;
import static io.crosslink.cloudsim.SimFixtures.ESS_KEY;
import static io.crosslink.cloudsim.SimFixtures.LOCAL_ID;
import static io.crosslink.cloudsim.SimFixtures.MAPPER;
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
import io.crosslink.infra.CertificateAuthority;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The certificate model on the sim's two real nodes (local: ECE, remote: Elastic Cloud, separate CAs, transport
 * TLS): trust written through {@code PUT /deployments/{id}} becomes the nodes' trusted CAs and trust restrictions,
 * so a transport connection works exactly when both sides trust each other, and an allow-list naming another
 * cluster id blocks it.
 */
@QuarkusTest
class TrustTest {
    private static final String ALIAS = "trust_probe";
    private static final String LOCAL_CLUSTER = "e5f60718293a4b5cc0ffee00a1b2c3d4";
    private static final String REMOTE_CLUSTER = "abcdef01234567890b5e55ed12345678";
    private static final String ESS_ORGANIZATION = "4285051796";
    private static final String TRUST = "resources.elasticsearch[0].settings.trust";
    private static SwaggerContract ece;
    private static SwaggerContract ess;

    @BeforeAll
    static void loadSpecs() {
        ece = SwaggerContract.ece();
        ess = SwaggerContract.ess();
    }

    @Test
    void certificateAuthorityAnswersTheCaAndTheRecommendedRestriction() throws Exception {
        JsonNode local = checked(ece, "GET", "/deployments/" + LOCAL_ID + "/certificate-authority",
                cloud(ECE_KEY).get("/api/v1/deployments/" + LOCAL_ID + "/certificate-authority"), 200);
        assertEquals("*." + LOCAL_CLUSTER + ".ece.local", local.path("recommended_trust_restriction").asText());
        JsonNode remote = checked(ess, "GET", "/deployments/" + REMOTE_ID + "/certificate-authority",
                cloud(ESS_KEY).get("/api/v1/deployments/" + REMOTE_ID + "/certificate-authority"), 200);
        assertEquals("*." + REMOTE_CLUSTER + ".es.us-central1.gcp.cloud.es.local",
                remote.path("recommended_trust_restriction").asText());
        var localCa = CertificateAuthority.parseCertificates(caPem(local)).get(0);
        var remoteCa = CertificateAuthority.parseCertificates(caPem(remote)).get(0);
        assertFalse(localCa.equals(remoteCa), "a CA per deployment");
        assertTrue(local.path("public_certificates").get(0).path("active").asBoolean());
        assertEquals(404, cloud(ECE_KEY).get("/api/v1/deployments/" + REMOTE_ID + "/certificate-authority").statusCode(),
                "another environment's deployment");
    }

    @Test
    void trustSettingsDecideWhetherTransportTlsConnects() throws Exception {
        String localCaPem = caPem(json(cloud(ECE_KEY).get("/api/v1/deployments/" + LOCAL_ID + "/certificate-authority")));
        JsonNode localBefore = trust(ECE_KEY, LOCAL_ID);
        JsonNode remoteBefore = trust(ESS_KEY, REMOTE_ID);
        String eceInstallation = localBefore.path("accounts").get(0).path("account_id").asText();
        register(LOCAL_ID, "127.0.20.2:9400", "127.0.20.2");
        register(REMOTE_ID, "127.0.20.1:9300", "127.0.20.1");
        try {
            assertFalse(resolve(LOCAL_ID).path("connected").asBoolean(), "separate CAs, no trust yet");
            assertFalse(resolve(REMOTE_ID).path("connected").asBoolean(), "separate CAs, no trust yet");

            // Local (ECE) trusts the remote's organization, allow-listing its cluster id: an accounts entry.
            ObjectNode localTrust = localBefore.deepCopy();
            ObjectNode account = ((ArrayNode) localTrust.get("accounts")).addObject();
            account.put("account_id", ESS_ORGANIZATION).put("name", "trust test").put("trust_all", false);
            account.putArray("trust_allowlist").add(REMOTE_CLUSTER);
            // The remote (Elastic Cloud) trusts local directly: its CA, the installation as scope, local's cluster id.
            ObjectNode remoteTrust = remoteBefore.deepCopy();
            ObjectNode direct = ((ArrayNode) remoteTrust.get("direct")).addObject();
            direct.put("type", "ECE").put("name", "trust test").put("scope_id", eceInstallation).put("trust_all", false);
            direct.putArray("trust_allowlist").add(LOCAL_CLUSTER);
            direct.putArray("certificates").addObject().put("pem", localCaPem);

            Instant put = Instant.now();
            update(ECE_KEY, ece, LOCAL_ID, localTrust);
            update(ESS_KEY, ess, REMOTE_ID, remoteTrust);
            awaitNoPendingPlan(ECE_KEY, LOCAL_ID);
            awaitNoPendingPlan(ESS_KEY, REMOTE_ID);
            System.out.printf("trust update: both plans done %d ms after the PUTs%n", Duration.between(put, Instant.now()).toMillis());

            JsonNode localAfter = trust(ECE_KEY, LOCAL_ID);
            assertEquals(localTrust, localAfter, "accounts trust round-trips, the default entry kept");
            JsonNode remoteAfter = trust(ESS_KEY, REMOTE_ID);
            assertEquals(remoteBefore.path("accounts"), remoteAfter.path("accounts"), "unrelated entry kept");
            JsonNode storedDirect = remoteAfter.path("direct").get(0);
            assertEquals(List.of("ECE", eceInstallation, LOCAL_CLUSTER), List.of(storedDirect.path("type").asText(),
                    storedDirect.path("scope_id").asText(), storedDirect.path("trust_allowlist").get(0).asText()));
            assertFalse(storedDirect.path("uid").asText().isEmpty(), "uid generated");
            assertFalse(storedDirect.path("certificates").get(0).path("metadata").path("fingerprint").asText().isEmpty());

            assertTrue(awaitConnected(LOCAL_ID), () -> "local -> remote after trust both ways: " + resolve(LOCAL_ID));
            assertTrue(awaitConnected(REMOTE_ID), () -> "remote -> local after trust both ways: " + resolve(REMOTE_ID));
            Response search = elasticsearch(LOCAL_ID).get("/" + ALIAS + ":demo-index/_search");
            assertEquals(200, search.statusCode(), search::asString);
            assertEquals(5, json(search).path("hits").path("total").path("value").asInt(), "remote documents over the certificate model");

            // An update without trust settings (plan only) leaves trust as it is; the full object sent back keeps the uid.
            update(ESS_KEY, ess, REMOTE_ID, null);
            assertEquals(remoteAfter, trust(ESS_KEY, REMOTE_ID));

            // The remote's allow-list names another cluster: new handshakes from local are refused.
            ObjectNode wrong = remoteAfter.deepCopy();
            ((ArrayNode) wrong.path("direct").get(0).get("trust_allowlist")).removeAll().add("0123456789abcdef0123456789abcdef");
            update(ESS_KEY, ess, REMOTE_ID, wrong);
            awaitNoPendingPlan(ESS_KEY, REMOTE_ID);
            unregister(LOCAL_ID);
            register(LOCAL_ID, "127.0.20.2:9400", "127.0.20.2");
            JsonNode blocked = resolve(LOCAL_ID);
            assertFalse(blocked.path("connected").asBoolean(), () -> "allow-list naming another cluster id: " + blocked);
        } finally {
            unregister(LOCAL_ID);
            unregister(REMOTE_ID);
            update(ECE_KEY, ece, LOCAL_ID, MAPPER.nullNode());
            update(ESS_KEY, ess, REMOTE_ID, MAPPER.nullNode());
            awaitNoPendingPlan(ECE_KEY, LOCAL_ID);
            awaitNoPendingPlan(ESS_KEY, REMOTE_ID);
        }
        assertEquals(localBefore, trust(ECE_KEY, LOCAL_ID), "null trust reverts to the default");
        assertEquals(remoteBefore, trust(ESS_KEY, REMOTE_ID));
    }

    @Test
    void refusesInvalidUpdatesNamingTheField() {
        ObjectNode trust = MAPPER.createObjectNode();
        trust.putArray("direct").addObject().put("name", "no certificates").put("trust_all", false).put("scope_id", "abc");
        assertRefused(body(ECE_KEY, LOCAL_ID, trust), TRUST + ".direct[0].certificates");

        ObjectNode badPem = MAPPER.createObjectNode();
        ObjectNode entry = badPem.putArray("direct").addObject().put("name", "bad").put("trust_all", true).put("scope_id", "abc");
        entry.putArray("certificates").addObject().put("pem", "not a certificate");
        assertRefused(body(ECE_KEY, LOCAL_ID, badPem), TRUST + ".direct[0].certificates[0].pem");

        ObjectNode unknownAccount = MAPPER.createObjectNode();
        unknownAccount.putArray("accounts").addObject().put("account_id", "nobody").put("trust_all", true);
        assertRefused(body(ECE_KEY, LOCAL_ID, unknownAccount), TRUST + ".accounts[0].account_id");

        ObjectNode wildcard = MAPPER.createObjectNode();
        wildcard.putArray("accounts").addObject().put("account_id", ESS_ORGANIZATION).put("trust_all", false)
                .putArray("trust_allowlist").add("*");
        assertRefused(body(ECE_KEY, LOCAL_ID, wildcard), TRUST + ".accounts[0].trust_allowlist[0]");

        ObjectNode noPrune = body(ECE_KEY, LOCAL_ID, MAPPER.nullNode());
        noPrune.remove("prune_orphans");
        assertRefused(noPrune, "prune_orphans");
        ObjectNode topLevel = body(ECE_KEY, LOCAL_ID, null);
        topLevel.putObject("settings").putObject("trust");
        assertRefused(topLevel, "settings.trust");
        assertFalse(trust(ECE_KEY, LOCAL_ID).path("direct").size() > 0, "nothing applied");
    }

    private static void assertRefused(ObjectNode request, String field) {
        String path = "/deployments/" + LOCAL_ID;
        Response response = cloud(ECE_KEY).body(request.toString()).put("/api/v1" + path);
        JsonNode error = checked(ece, "PUT", path, response, 400);
        assertEquals("root.invalid_json_request", error.path("errors").get(0).path("code").asText());
        assertEquals(field, error.path("errors").get(0).path("fields").get(0).asText(), error::toString);
    }

    /** {@code resources.elasticsearch[0].info.settings.trust} of GET with show_settings, checked against the spec. */
    private static JsonNode trust(String apiKey, String id) {
        JsonNode deployment = checked(apiKey.equals(ECE_KEY) ? ece : ess, "GET", "/deployments/" + id,
                cloud(apiKey).queryParam("show_settings", true).get("/api/v1/deployments/" + id), 200);
        return deployment.path("resources").path("elasticsearch").get(0).path("info").path("settings").path("trust");
    }

    /** A DeploymentUpdateRequest with the current plan; {@code trust} null: no settings at all. */
    private static ObjectNode body(String apiKey, String id, JsonNode trust) {
        JsonNode es = json(cloud(apiKey).get("/api/v1/deployments/" + id)).path("resources").path("elasticsearch").get(0);
        ObjectNode request = MAPPER.createObjectNode().put("prune_orphans", false);
        ObjectNode payload = request.putObject("resources").putArray("elasticsearch").addObject();
        payload.put("ref_id", es.path("ref_id").asText()).put("region", es.path("region").asText());
        payload.set("plan", es.path("info").path("plan_info").path("current").path("plan"));
        if (trust != null) {
            payload.putObject("settings").set("trust", trust);
        }
        return request;
    }

    private static void update(String apiKey, SwaggerContract spec, String id, JsonNode trust) {
        Response response = cloud(apiKey).body(body(apiKey, id, trust).toString()).put("/api/v1/deployments/" + id);
        JsonNode answer = checked(spec, "PUT", "/deployments/" + id, response, 200);
        assertEquals(id, answer.path("id").asText());
    }

    private static void awaitNoPendingPlan(String apiKey, String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (json(cloud(apiKey).get("/api/v1/deployments/" + id)).path("resources").path("elasticsearch").get(0)
                .path("info").path("plan_info").has("pending")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("plan of " + id + " still pending");
            }
            Thread.sleep(200);
        }
    }

    private static void register(String id, String proxyAddress, String serverName) {
        Response response = elasticsearch(id).body("{\"persistent\":{\"cluster\":{\"remote\":{\"" + ALIAS + "\":{\"mode\":\"proxy\","
                + "\"proxy_address\":\"" + proxyAddress + "\",\"server_name\":\"" + serverName + "\"}}}}}").put("/_cluster/settings");
        assertEquals(200, response.statusCode(), response::asString);
    }

    private static void unregister(String id) {
        elasticsearch(id).body("{\"persistent\":{\"cluster\":{\"remote\":{\"" + ALIAS + "\":{\"mode\":null,\"proxy_address\":null,"
                + "\"server_name\":null,\"skip_unavailable\":null}}}}}").put("/_cluster/settings");
    }

    /** {@code _resolve/cluster} connects synchronously (unlike {@code _remote/info}, which never retries a failure). */
    private static JsonNode resolve(String id) {
        Response response = elasticsearch(id).get("/_resolve/cluster/" + ALIAS + ":*");
        assertEquals(200, response.statusCode(), response::asString);
        return json(response).path(ALIAS);
    }

    private static boolean awaitConnected(String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!resolve(id).path("connected").asBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    private static String caPem(JsonNode certificateAuthority) {
        return certificateAuthority.path("public_certificates").get(0).path("pem").asText();
    }

    private static JsonNode checked(SwaggerContract spec, String method, String path, Response response, int status) {
        assertEquals(status, response.statusCode(), () -> "status of " + method + " " + path + ": " + response.asString());
        JsonNode body = json(response);
        List<String> violations = spec.validateResponse(method, path, status, body);
        assertTrue(violations.isEmpty(), () -> method + " " + path + " violates the spec: " + violations + "\n" + body);
        return body;
    }
}

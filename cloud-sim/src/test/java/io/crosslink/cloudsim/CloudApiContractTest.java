package io.crosslink.cloudsim;

import static io.crosslink.cloudsim.SimFixtures.ECE_INSTALLATION;
import static io.crosslink.cloudsim.SimFixtures.ECE_KEY;
import static io.crosslink.cloudsim.SimFixtures.ESS_ORGANIZATION;
import static io.crosslink.cloudsim.SimFixtures.ESS_KEY;
import static io.crosslink.cloudsim.SimFixtures.LOCAL_ID;
import static io.crosslink.cloudsim.SimFixtures.PEER_CLUSTER;
import static io.crosslink.cloudsim.SimFixtures.PEER_ID;
import static io.crosslink.cloudsim.SimFixtures.REMOTE_ID;
import static io.crosslink.cloudsim.SimFixtures.cloud;
import static io.crosslink.cloudsim.SimFixtures.json;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.contract.SwaggerContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sim's Cloud API answers as the official specs declare: shapes, status codes and errors. */
@QuarkusTest
class CloudApiContractTest {
    private static SwaggerContract ece;
    private static SwaggerContract ess;

    @BeforeAll
    static void loadSpecs() {
        ece = SwaggerContract.ece();
        ess = SwaggerContract.ess();
    }

    @Test
    void listsOnlyTheCallersDeployments() {
        JsonNode eceListing = checked(ece, "GET", "/deployments", cloud(ECE_KEY).get("/api/v1/deployments"), 200);
        assertEquals(Set.of(LOCAL_ID, PEER_ID), ids(eceListing.path("deployments")), "the ECE installation's two deployments");
        JsonNode local = byId(eceListing.path("deployments"), LOCAL_ID);
        assertEquals(LOCAL_ID, local.path("id").asText());
        assertEquals("local", local.path("name").asText());
        JsonNode resource = local.path("resources").get(0);
        assertEquals("main-elasticsearch", resource.path("ref_id").asText());
        assertEquals("elasticsearch", resource.path("kind").asText());
        assertEquals("e5f60718293a4b5cc0ffee00a1b2c3d4", resource.path("id").asText());

        JsonNode peer = byId(eceListing.path("deployments"), PEER_ID);
        assertEquals("peer", peer.path("name").asText());
        assertEquals(PEER_CLUSTER, peer.path("resources").get(0).path("id").asText());

        JsonNode essListing = checked(ess, "GET", "/deployments", cloud(ESS_KEY).get("/api/v1/deployments"), 200);
        assertEquals(Set.of(REMOTE_ID), ids(essListing.path("deployments")));
    }

    @Test
    void accountIsTheCallersInstallationOrOrganization() {
        JsonNode eceAccount = checked(ece, "GET", "/account", cloud(ECE_KEY).get("/api/v1/account"), 200);
        assertEquals(ECE_INSTALLATION, eceAccount.path("id").asText());
        assertTrue(eceAccount.path("trust").path("trust_all").asBoolean(), "an account's clusters trust each other");
        JsonNode essAccount = checked(ess, "GET", "/account", cloud(ESS_KEY).get("/api/v1/account"), 200);
        assertEquals(ESS_ORGANIZATION, essAccount.path("id").asText());
        // The same id the deployments name as their organization and the default trust as its account.
        JsonNode remote = json(cloud(ESS_KEY).get("/api/v1/deployments/" + REMOTE_ID));
        assertEquals(essAccount.path("id").asText(), remote.path("metadata").path("organization_id").asText());
        // The spec declares no 401 for /account; the answer is the Cloud error shape all the same.
        Response missing = given().get("/api/v1/account");
        assertEquals(401, missing.statusCode());
        assertEquals(List.of(), ece.validateDefinition("BasicFailedReply", json(missing)));
        assertEquals("root.unauthenticated", json(missing).path("errors").get(0).path("code").asText());
    }

    @Test
    void peerIsASecondDeploymentOfTheInstallationWithItsOwnNode() {
        JsonNode peer = checked(ece, "GET", "/deployments/" + PEER_ID, cloud(ECE_KEY).queryParam("show_settings", true)
                .get("/api/v1/deployments/" + PEER_ID), 200);
        JsonNode info = peer.path("resources").path("elasticsearch").get(0).path("info");
        assertEquals("127.0.20.3", info.path("metadata").path("endpoint").asText());
        assertEquals(9300, info.path("metadata").path("ports").path("transport_passthrough").asInt());
        assertEquals(ECE_INSTALLATION, info.path("settings").path("trust").path("accounts").get(0).path("account_id").asText());
        assertEquals(404, cloud(ESS_KEY).get("/api/v1/deployments/" + PEER_ID).statusCode(), "not in the organization");
        assertEquals("peer", json(SimFixtures.elasticsearch(PEER_ID).get("/demo-index/_search")).path("hits").path("hits")
                .get(0).path("_source").path("deployment").asText(), "its own seed index");
    }

    @Test
    void describesADeploymentWithEndpointPortsVersionAndTrust() {
        Response response = cloud(ESS_KEY).queryParam("show_settings", true).get("/api/v1/deployments/" + REMOTE_ID);
        JsonNode body = checked(ess, "GET", "/deployments/" + REMOTE_ID, response, 200);
        assertEquals("4285051796", body.path("metadata").path("organization_id").asText());
        JsonNode es = body.path("resources").path("elasticsearch").get(0);
        JsonNode metadata = es.path("info").path("metadata");
        assertEquals("127.0.20.2", metadata.path("endpoint").asText());
        assertEquals(9400, metadata.path("ports").path("transport_passthrough").asInt(), "Elastic Cloud proxy port");
        assertEquals("http://127.0.20.2:9243", metadata.path("service_url").asText());
        assertEquals("8.19.21", es.path("info").path("plan_info").path("current").path("plan").path("elasticsearch")
                .path("version").asText());
        assertTrue(es.path("info").path("settings").path("trust").path("accounts").isArray());
        assertTrue(response.getHeader("x-cloud-resource-version") != null);

        JsonNode local = checked(ece, "GET", "/deployments/" + LOCAL_ID, cloud(ECE_KEY).get("/api/v1/deployments/" + LOCAL_ID), 200);
        JsonNode localEs = local.path("resources").path("elasticsearch").get(0).path("info");
        assertEquals(9300, localEs.path("metadata").path("ports").path("transport_passthrough").asInt(), "ECE transport port");
        assertTrue(localEs.path("settings").isMissingNode(), "trust only with show_settings=true");
    }

    @Test
    void hidesOtherEnvironmentsDeploymentsAndReportsUnknownOnes() {
        JsonNode error = checked(ece, "GET", "/deployments/" + REMOTE_ID, cloud(ECE_KEY).get("/api/v1/deployments/" + REMOTE_ID), 404);
        assertEquals("deployments.deployment_not_found", error.path("errors").get(0).path("code").asText());
        Response unknownRef = cloud(ECE_KEY).get("/api/v1/deployments/" + LOCAL_ID + "/elasticsearch/nope/keystore");
        JsonNode refError = checked(ece, "GET", "/deployments/" + LOCAL_ID + "/elasticsearch/nope/keystore", unknownRef, 404);
        assertEquals("deployments.deployment_resource_not_found", refError.path("errors").get(0).path("code").asText());
        assertEquals("deployments.deployment_resource_not_found", unknownRef.getHeader("x-cloud-error-codes"));
    }

    @Test
    void refusesCallsWithoutAValidApiKey() {
        Response missing = given().get("/api/v1/deployments");
        JsonNode body = checked(ece, "GET", "/deployments", missing, 401);
        assertEquals("root.unauthenticated", body.path("errors").get(0).path("code").asText());
        assertEquals(401, cloud("wrong").get("/api/v1/deployments").statusCode());
        assertEquals(401, given().header("Authorization", "Bearer " + ECE_KEY).get("/api/v1/deployments").statusCode());
    }

    @Test
    void keystoreAddsListsWithoutValuesAndRemovesEntries() {
        String path = "/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch/keystore";
        Response added = cloud(ECE_KEY).body("{\"secrets\":{\"contract.test.one\":{\"value\":\"s3cret-value\",\"as_file\":false},"
                + "\"contract.test.two\":{\"value\":\"other\"}}}").patch("/api/v1" + path);
        JsonNode afterAdd = checked(ece, "PATCH", path, added, 200);
        assertEquals(false, afterAdd.path("secrets").path("contract.test.one").path("as_file").asBoolean(true));
        assertTrue(afterAdd.path("secrets").has("contract.test.two"));
        assertFalse(added.asString().contains("s3cret-value"), "values are never returned");

        Response removed = cloud(ECE_KEY).body("{\"secrets\":{\"contract.test.one\":null,\"contract.test.two\":{\"as_file\":false}}}")
                .patch("/api/v1" + path);
        JsonNode afterRemove = checked(ece, "PATCH", path, removed, 200);
        assertFalse(afterRemove.path("secrets").has("contract.test.one"));
        assertFalse(afterRemove.path("secrets").has("contract.test.two"));

        JsonNode read = checked(ece, "GET", path, cloud(ECE_KEY).get("/api/v1" + path), 200);
        assertFalse(read.path("secrets").has("contract.test.one"));
    }

    @Test
    void rejectsMalformedKeystoreRequestsWithTheFailedField() {
        String path = "/api/v1/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch/keystore";
        JsonNode error = json(cloud(ECE_KEY).body("{\"secret\":{}}").patch(path).then().statusCode(400).extract().response());
        assertEquals(List.of("secrets"), List.of(error.path("errors").get(0).path("fields").get(0).asText()));
        JsonNode notJson = json(cloud(ECE_KEY).body("{not json").patch(path).then().statusCode(400).extract().response());
        assertEquals("root.invalid_json_request", notJson.path("errors").get(0).path("code").asText());
    }

    @Test
    void remoteClustersOfAnotherEnvironmentAreNotFound() {
        String path = "/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch/remote-clusters";
        Response response = cloud(ECE_KEY).body("{\"resources\":[{\"deployment_id\":\"" + REMOTE_ID
                + "\",\"elasticsearch_ref_id\":\"main-elasticsearch\",\"alias\":\"x\"}]}").put("/api/v1" + path);
        JsonNode error = checked(ece, "PUT", path, response, 404);
        assertEquals("deployments.deployment_remote_resource_not_found", error.path("errors").get(0).path("code").asText());
    }

    @Test
    void elasticCloudHasNoElasticsearchProxy() {
        Response response = cloud(ESS_KEY).header("X-Management-Request", "true")
                .get("/api/v1/deployments/" + REMOTE_ID + "/elasticsearch/main-elasticsearch/proxy/_cluster/health");
        assertEquals(404, response.statusCode());
    }

    private static Set<String> ids(JsonNode deployments) {
        Set<String> ids = new TreeSet<>();
        deployments.forEach(deployment -> ids.add(deployment.path("id").asText()));
        return ids;
    }

    private static JsonNode byId(JsonNode deployments, String id) {
        for (JsonNode deployment : deployments) {
            if (deployment.path("id").asText().equals(id)) {
                return deployment;
            }
        }
        throw new AssertionError("no deployment " + id + " in " + deployments);
    }

    private static JsonNode checked(SwaggerContract spec, String method, String path, Response response, int status) {
        assertEquals(status, response.statusCode(), () -> "status of " + method + " " + path + ": " + response.asString());
        JsonNode body = json(response);
        List<String> violations = spec.validateResponse(method, path, status, body);
        assertTrue(violations.isEmpty(), () -> method + " " + path + " violates the spec: " + violations + "\n" + body);
        return body;
    }
}

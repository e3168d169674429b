package io.crosslink.cloudsim;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Arrays;

/** Shared facts and calls of the cloud-sim tests (deployment ids of the test profile, API keys). */
final class SimFixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String REMOTE_ID = "0b5e55ed12345678abcdef0123456789";
    /** The second deployment of the ECE installation (same account as local). */
    static final String PEER_ID = "bee5feed00112233445566778899aabb";
    static final String PEER_CLUSTER = "445566778899aabbbee5feed00112233";
    static final String ECE_INSTALLATION = "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87";
    static final String ESS_ORGANIZATION = "4285051796";
    static final String ECE_KEY = "ece-dev-api-key";
    static final String ESS_KEY = "ess-dev-api-key";

    private SimFixtures() {
    }

    static RequestSpecification cloud(String apiKey) {
        return given().header("Authorization", "ApiKey " + apiKey).contentType("application/json");
    }

    /** The sim's own view of a deployment: service_url and superuser credentials. */
    static JsonNode admin(String deploymentId) {
        JsonNode all = json(given().get("/sim/deployments"));
        for (JsonNode deployment : all) {
            if (deploymentId.equals(deployment.path("id").asText())) {
                return deployment;
            }
        }
        throw new AssertionError("no deployment " + deploymentId + " in " + all);
    }

    /** A request straight to a deployment's Elasticsearch through its service_url (the pass-through). */
    static RequestSpecification elasticsearch(String deploymentId) {
        JsonNode deployment = admin(deploymentId);
        return given().baseUri(deployment.path("serviceUrl").asText())
                .auth().preemptive().basic(deployment.path("username").asText(), deployment.path("password").asText())
                .contentType("application/json");
    }

    static JsonNode json(Response response) {
        try {
            return MAPPER.readTree(response.asByteArray());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + Arrays.toString(response.asByteArray()), e);
        }
    }
}

package io.crosslink.cloudsim.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Unit test of the Swagger 2.0 contract validator against both reference specs (ECE and Elastic Cloud). */
class SwaggerContractTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static SwaggerContract ece;
    private static SwaggerContract ess;

    /** A DeploymentGetResponse with one Elasticsearch resource carrying every required property (both specs). */
    private static final String VALID_DEPLOYMENT = """
            {
              "id": "3f2a9c1e5b7d4e8f9a0b1c2d3e4f5a6b",
              "name": "crosslink-a",
              "healthy": true,
              "sim_extra": "additionalProperties stay permissive",
              "metadata": {"last_modified": "2024-05-01T12:34:56.789+02:00", "system_owned": false},
              "resources": {
                "apm": [], "appsearch": [], "enterprise_search": [], "integrations_server": [], "kibana": [],
                "elasticsearch": [{
                  "id": "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
                  "ref_id": "main-elasticsearch",
                  "region": "ece-region",
                  "info": {
                    "cluster_id": "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
                    "cluster_name": "crosslink-a",
                    "deployment_id": "3f2a9c1e5b7d4e8f9a0b1c2d3e4f5a6b",
                    "healthy": true,
                    "status": "started",
                    "associated_apm_clusters": [],
                    "associated_appsearch_clusters": [],
                    "associated_enterprise_search_clusters": [],
                    "associated_kibana_clusters": [],
                    "external_links": [],
                    "elasticsearch": {
                      "healthy": true,
                      "blocking_issues": {"healthy": true, "cluster_level": [], "index_level": []},
                      "master_info": {"healthy": true, "instances_with_no_master": [], "masters": []},
                      "shard_info": {"healthy": true, "available_shards": [], "unavailable_replicas": [], "unavailable_shards": []}
                    },
                    "metadata": {
                      "version": 7,
                      "last_modified": "2024-05-01T10:34:56Z",
                      "endpoint": "abc.example.test",
                      "ports": {"http": 9200, "https": 9243, "transport_passthrough": 9400}
                    },
                    "plan_info": {"healthy": true, "history": []},
                    "snapshots": {"healthy": true, "count": 0, "recent_success": false},
                    "topology": {"healthy": true, "instances": []}
                  }
                }]
              }
            }
            """;

    @BeforeAll
    static void loadSpecs() {
        ece = SwaggerContract.ece();
        ess = SwaggerContract.ess();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Map<String, SwaggerContract> both() {
        return Map.of("ece", ece, "ess", ess);
    }

    @Test
    void referenceSpecFindsBothFiles() {
        assertTrue(Files.isRegularFile(SwaggerContract.referenceSpec("ece-apidocs.json")));
        assertTrue(Files.isRegularFile(SwaggerContract.referenceSpec("ess-apidocs-user.json")));
        assertThrows(IllegalStateException.class, () -> SwaggerContract.referenceSpec("no-such-spec.json"));
    }

    @Test
    void emptyDeploymentNamesEveryRequiredProperty() {
        both().forEach((name, contract) -> {
            List<String> violations = contract.validateDefinition("DeploymentGetResponse", json("{}"));
            for (String required : List.of("id", "name", "healthy", "resources")) {
                assertTrue(violations.stream().anyMatch(v -> v.startsWith("/: ") && v.contains("'" + required + "'")),
                        name + ": no violation names required '" + required + "': " + violations);
            }
            assertEquals(4, violations.size(), name + ": " + violations);
        });
    }

    @Test
    void validDeploymentPasses() {
        both().forEach((name, contract) -> {
            assertEquals(List.of(), contract.validateDefinition("DeploymentGetResponse", json(VALID_DEPLOYMENT)), name);
            assertEquals(List.of(), contract.validateResponse("GET",
                    "/api/v1/deployments/3f2a9c1e5b7d4e8f9a0b1c2d3e4f5a6b?show_metadata=true", 200,
                    json(VALID_DEPLOYMENT)), name);
        });
    }

    @Test
    void nestedViolationsCarryTheirJsonPointer() {
        ObjectNode body = (ObjectNode) json(VALID_DEPLOYMENT);
        ObjectNode info = (ObjectNode) body.at("/resources/elasticsearch/0/info");
        info.remove("cluster_id");
        info.put("status", "melting");
        ((ObjectNode) info.get("metadata")).put("last_modified", "yesterday");
        ((ObjectNode) body.get("resources")).remove("kibana");
        both().forEach((name, contract) -> {
            List<String> violations = contract.validateResponse("GET", "/deployments/abc", 200, body);
            String all = String.join("\n", violations);
            assertTrue(violations.stream().anyMatch(v -> v.startsWith("/resources/elasticsearch/0/info: ")
                    && v.contains("'cluster_id'")), name + ": " + all);
            assertTrue(violations.stream().anyMatch(v -> v.startsWith("/resources/elasticsearch/0/info/status: ")),
                    name + ": " + all);
            assertTrue(violations.stream().anyMatch(v -> v.startsWith("/resources/elasticsearch/0/info/metadata/last_modified: ")),
                    name + ": " + all);
            assertTrue(violations.stream().anyMatch(v -> v.startsWith("/resources: ") && v.contains("'kibana'")),
                    name + ": " + all);
            assertEquals(4, violations.size(), name + ": " + all);
        });
    }

    @Test
    void keystoreResponseResolvesTemplate() {
        both().forEach((name, contract) -> {
            String path = "/deployments/{id}/elasticsearch/main-elasticsearch/keystore";
            assertEquals("/deployments/{deployment_id}/elasticsearch/{ref_id}/keystore",
                    contract.resolveTemplate("GET", path), name);
            assertEquals(List.of(), contract.validateResponse("GET", path, 200,
                    json("{\"secrets\":{\"a\":{\"as_file\":false}}}")), name);
            assertEquals(List.of(), contract.validateResponse("PATCH", "/api/v1" + path.replace("{id}", "abc"), 200,
                    json("{\"secrets\":{}}")), name);
            List<String> bad = contract.validateResponse("GET", path, 200,
                    json("{\"secrets\":{\"a\":{\"as_file\":\"no\"}}}"));
            assertEquals(1, bad.size(), name + ": " + bad);
            assertTrue(bad.get(0).startsWith("/secrets/a/as_file: "), name + ": " + bad);
        });
    }

    @Test
    void errorBodyMatchesBasicFailedReply() {
        both().forEach((name, contract) -> {
            String keystore = "/deployments/abc/elasticsearch/main-elasticsearch/keystore";
            assertEquals(List.of(), contract.validateResponse("GET", keystore, 404,
                    json("{\"errors\":[{\"code\":\"x\",\"message\":\"y\"}]}")), name);
            List<String> bad = contract.validateResponse("GET", keystore, 404, json("{\"errors\":[{\"code\":\"x\"}]}"));
            assertTrue(bad.size() == 1 && bad.get(0).startsWith("/errors/0: ") && bad.get(0).contains("'message'"),
                    name + ": " + bad);
            assertFalse(contract.validateDefinition("BasicFailedReply", json("{}")).isEmpty(), name);
        });
    }

    @Test
    void undeclaredOperationsAndStatusesFail() {
        both().forEach((name, contract) -> {
            String keystore = "/deployments/abc/elasticsearch/main-elasticsearch/keystore";
            AssertionError status = assertThrows(AssertionError.class,
                    () -> contract.validateResponse("GET", keystore, 418, json("{}")), name);
            assertTrue(status.getMessage().contains("418") && status.getMessage().contains("404"), status.getMessage());
            assertThrows(AssertionError.class,
                    () -> contract.validateResponse("DELETE", keystore, 200, json("{}")), name);
            assertThrows(AssertionError.class,
                    () -> contract.validateResponse("GET", "/no/such/path", 200, json("{}")), name);
            assertThrows(AssertionError.class,
                    () -> contract.validateDefinition("NoSuchDefinition", json("{}")), name);
            assertThrows(AssertionError.class,
                    () -> contract.assertValidResponse("GET", "/deployments", 200, json("{}")), name);
        });
    }

    @Test
    void literalSegmentsWinAndTrailingParameterSpans() {
        both().forEach((name, contract) -> {
            assertEquals("/deployments/{deployment_id}/elasticsearch/{ref_id}/_restart",
                    contract.resolveTemplate("POST", "/deployments/abc/elasticsearch/main-elasticsearch/_restart"), name);
            assertEquals("/deployments/{deployment_id}/{stateless_resource_kind}/{ref_id}/_restart",
                    contract.resolveTemplate("POST", "/deployments/abc/kibana/main-kibana/_restart"), name);
            assertEquals("/deployments/_search", contract.resolveTemplate("POST", "/deployments/_search"), name);
            assertEquals("/deployments/{deployment_id}", contract.resolveTemplate("GET", "/api/v1/deployments/abc/"), name);
            assertEquals(List.of(), contract.validateResponse("POST",
                    "/deployments/abc/elasticsearch/main-elasticsearch/_restart?skip_snapshot=true", 202, json("{}")), name);
        });
        assertEquals("/deployments/{deployment_id}/{resource_kind}/{ref_id}/proxy/{proxy_path}",
                ece.resolveTemplate("GET", "/deployments/abc/elasticsearch/main-elasticsearch/proxy/_remote/info"));
        assertThrows(AssertionError.class,
                () -> ess.resolveTemplate("GET", "/deployments/abc/elasticsearch/main-elasticsearch/proxy/_remote/info"));
    }

    @Test
    void inlineResponseSchemasResolveDefinitions() {
        both().forEach((name, contract) -> {
            assertEquals(List.of(), contract.validateResponse("GET", "/deployments/templates", 200, json("[]")), name);
            List<String> bad = contract.validateResponse("GET", "/deployments/templates", 200, json("[{}]"));
            assertTrue(!bad.isEmpty() && bad.stream().allMatch(v -> v.startsWith("/0: ")), name + ": " + bad);
        });
    }
}

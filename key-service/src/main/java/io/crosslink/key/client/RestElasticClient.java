package io.crosslink.key.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.ElasticsearchApi;
import io.crosslink.elastic.ElasticsearchTarget;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.key.config.KeyServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link ElasticClient} on the one Elastic client ({@code elastic-client}): its policy bounds every call
 * ({@code crosslink.elastic.*}) and sends the idempotent ones (the lookup, the invalidation) again at once after a
 * lost answer; the create is sent once, as only the caller can repeat it safely (it looks for a lost key first).
 * Whole attempts are repeated by the work handlers, parked in between.
 */
@ApplicationScoped
public class RestElasticClient implements ElasticClient {
    private static final ObjectMapper JSON = EventCodec.mapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final KeyServiceConfig config;
    private final ElasticsearchApi elasticsearch;

    public RestElasticClient(KeyServiceConfig config, ElasticsearchApi elasticsearch) {
        this.config = config;
        this.elasticsearch = elasticsearch;
    }

    @Override
    public CreatedApiKey createCrossClusterApiKey(String deploymentId, CrossClusterApiKeyRequest request) {
        JsonNode answer = elasticsearch.createCrossClusterApiKey(target(deploymentId), request.toJson()).requireOk().json();
        String id = answer.path("id").asText(null);
        String name = answer.path("name").asText(request.name());
        String encoded = answer.path("encoded").asText(null);
        if (id == null || encoded == null) {
            // The answer holds the secret: say what is missing, never echo it.
            throw ElasticCallException.of(new StepFailure("unexpected_response",
                    "create cross-cluster API key answered without id or encoded value", 200, false));
        }
        return new CreatedApiKey(id, name, encoded);
    }

    @Override
    public List<ApiKeyInfo> activeApiKeys(String deploymentId, String name) {
        ElasticAnswer answer = elasticsearch.apiKeys(target(deploymentId), name, true);
        if (answer.status() == 404) {
            return List.of(); // nothing matched (older versions answer 404 instead of an empty list)
        }
        List<ApiKeyInfo> keys = new ArrayList<>();
        for (JsonNode key : answer.requireOk().json().path("api_keys")) {
            // "name" takes wildcards; the caller wants exactly this name.
            if (name.equals(key.path("name").asText()) && !key.path("invalidated").asBoolean(false)) {
                keys.add(new ApiKeyInfo(key.path("id").asText(), key.path("name").asText(),
                        JSON.convertValue(key.path("metadata"), MAP)));
            }
        }
        return keys;
    }

    @Override
    public List<String> invalidateApiKeys(String deploymentId, List<String> ids) {
        ElasticAnswer answer = elasticsearch.invalidateApiKeys(target(deploymentId), write(Map.of("ids", ids)));
        if (!answer.ok() && "resource_not_found_exception".equals(answer.failure().type())) {
            return List.of(); // none of the keys exists (any more): nothing to invalidate
        }
        JsonNode result = answer.requireOk().json();
        if (result.path("error_count").asInt(0) > 0) {
            JsonNode error = result.path("error_details").path(0);
            JsonNode cause = error.path("caused_by").isObject() ? error.path("caused_by") : error;
            throw ElasticCallException.of(new StepFailure(cause.path("type").asText("invalidation_failed"),
                    "invalidating API keys " + ids + " failed: " + cause.path("reason").asText(), 200, false));
        }
        List<String> invalidated = new ArrayList<>();
        result.path("invalidated_api_keys").forEach(id -> invalidated.add(id.asText()));
        return invalidated;
    }

    private ElasticsearchTarget target(String deploymentId) {
        KeyServiceConfig.DeploymentAccess access = config.deployments().get(deploymentId);
        if (access == null) {
            throw ElasticCallException.of(new StepFailure("deployment_not_configured",
                    "key-service has no Elasticsearch access for deployment " + deploymentId
                            + " (crosslink.deployments." + deploymentId + ".elasticsearch-url, username, password)",
                    null, false));
        }
        return new ElasticsearchTarget(deploymentId, access.elasticsearchUrl(), access.username(), access.password(),
                access.tlsConfigurationName());
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName(), e);
        }
    }
}

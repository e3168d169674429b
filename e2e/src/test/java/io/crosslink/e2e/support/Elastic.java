package io.crosslink.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.deploy.ServiceWiring;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.events.EventCodec;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is really on the deployments, read the way an operator would: Elasticsearch as its superuser, and the Cloud
 * API of cloud-sim with the environment's API key. Elasticsearch is read on the node itself, not through the
 * service_url pass-through the services use, so faults injected there never disturb what a test observes.
 */
public final class Elastic {
    /** Prefix of every API key Crosslink creates ({@code crosslink-<connectionId>}). */
    public static final String KEY_NAME_PREFIX = "crosslink-";
    private final E2eStack stack;

    public Elastic(E2eStack stack) {
        this.stack = stack;
    }

    /** A call to a deployment's Elasticsearch node as its superuser (not through the pass-through). */
    public Http.Response elasticsearch(String deploymentId, String method, String path) {
        return elasticsearch(deploymentId, method, path, null);
    }

    public Http.Response elasticsearch(String deploymentId, String method, String path, String jsonBody) {
        SimDeployment deployment = stack.deployment(deploymentId);
        return Http.send(method, deployment.elasticsearchUrl() + path, jsonBody, headers(deployment, jsonBody));
    }

    /** A call through the deployment's service_url (cloud-sim's pass-through), as a service would make it. */
    public Http.Response viaServiceUrl(String deploymentId, String method, String path, String jsonBody) {
        SimDeployment deployment = stack.deployment(deploymentId);
        return Http.send(method, deployment.serviceUrl() + path, jsonBody, headers(deployment, jsonBody));
    }

    /** {@code GET _security/api_key?name=...&active_only=true} on the deployment: {@code api_keys}. */
    public JsonNode activeApiKeys(String deploymentId, String name) {
        return ok(elasticsearch(deploymentId, "GET", "/_security/api_key?active_only=true&name=" + name)).path("api_keys");
    }

    /** Every active key named {@code crosslink-*} on the deployment: id → name. */
    public Map<String, String> activeCrosslinkKeys(String deploymentId) {
        Map<String, String> keys = new TreeMap<>();
        activeApiKeys(deploymentId, KEY_NAME_PREFIX + "*").forEach(key -> keys.put(key.path("id").asText(),
                key.path("name").asText()));
        return keys;
    }

    /** One API key by id, active or not ({@code invalidated} says which). */
    public JsonNode apiKey(String deploymentId, String keyId) {
        JsonNode keys = ok(elasticsearch(deploymentId, "GET", "/_security/api_key?id=" + keyId)).path("api_keys");
        if (keys.size() != 1) {
            throw new AssertionError("no API key " + keyId + " on " + deploymentId + ": " + keys);
        }
        return keys.get(0);
    }

    /** {@code GET _remote/info} of the deployment. */
    public JsonNode remoteInfo(String deploymentId) {
        return ok(elasticsearch(deploymentId, "GET", "/_remote/info"));
    }

    /** The deployment's persistent {@code cluster.remote.*} settings, flat: setting → value as text. */
    public Map<String, String> persistentRemoteSettings(String deploymentId) {
        JsonNode persistent = ok(elasticsearch(deploymentId, "GET", "/_cluster/settings?flat_settings=true")).path("persistent");
        Map<String, String> settings = new TreeMap<>();
        persistent.properties().forEach(setting -> {
            if (setting.getKey().startsWith("cluster.remote.")) {
                settings.put(setting.getKey(), setting.getValue().isValueNode() ? setting.getValue().asText()
                        : setting.getValue().toString());
            }
        });
        return settings;
    }

    /** The Cloud API keystore of the deployment's Elasticsearch resource: {@code {"secrets":{name:{as_file}}}}. */
    public JsonNode keystore(String deploymentId) {
        SimDeployment deployment = stack.deployment(deploymentId);
        return ok(Http.get(stack.cloudApiUrl() + "/api/v1/deployments/" + deploymentId + "/elasticsearch/"
                + deployment.refId() + "/keystore",
                "Authorization", "ApiKey " + ServiceWiring.DEV_API_KEYS.get(deployment.environment())));
    }

    static JsonNode ok(Http.Response response) {
        if (response.status() != 200) {
            throw new AssertionError("unexpected answer: " + response);
        }
        return response.json();
    }

    private static String[] headers(SimDeployment deployment, String jsonBody) {
        String authorization = Http.basic(deployment.username(), deployment.password());
        return jsonBody == null ? new String[] {"Authorization", authorization}
                : new String[] {"Authorization", authorization, "Content-Type", "application/json"};
    }

    /** A JSON object with one field, for small request bodies. */
    public static String json(String field, Object value) {
        return EventCodec.mapper().createObjectNode().putPOJO(field, value).toString();
    }
}

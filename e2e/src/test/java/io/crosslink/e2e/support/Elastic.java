package io.crosslink.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.deploy.ServiceWiring;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.events.EventCodec;
import java.util.List;
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

    /** A Cloud API call as the deployment's environment (its API key); {@code path} after {@code /api/v1}. */
    public Http.Response cloudApi(String environment, String method, String path, String jsonBody) {
        String authorization = "ApiKey " + ServiceWiring.DEV_API_KEYS.get(environment);
        return Http.send(method, stack.cloudApiUrl() + "/api/v1" + path, jsonBody, jsonBody == null
                ? new String[] {"Authorization", authorization}
                : new String[] {"Authorization", authorization, "Content-Type", "application/json"});
    }

    /** {@code GET /api/v1/deployments/{id}?show_settings=true}: the whole deployment document, trust included. */
    public JsonNode deploymentWithSettings(String deploymentId) {
        return ok(cloudApi(stack.deployment(deploymentId).environment(), "GET", "/deployments/" + deploymentId
                + "?show_settings=true", null));
    }

    /** The deployment's trust settings ({@code resources.elasticsearch[0].info.settings.trust}) as the Cloud API shows them. */
    public JsonNode trust(String deploymentId) {
        return deploymentWithSettings(deploymentId).path("resources").path("elasticsearch").path(0).path("info")
                .path("settings").path("trust");
    }

    /** ECE's {@code GET .../remote-clusters} of the deployment: {@code resources} with {@code info}. */
    public JsonNode remoteClusters(String deploymentId) {
        SimDeployment deployment = stack.deployment(deploymentId);
        return ok(cloudApi(deployment.environment(), "GET", "/deployments/" + deploymentId + "/elasticsearch/"
                + deployment.refId() + "/remote-clusters", null)).path("resources");
    }

    /** ECE's {@code PUT .../remote-clusters}: replaces the deployment's whole list ({@code resources}). */
    public void putRemoteClusters(String deploymentId, JsonNode resources) {
        SimDeployment deployment = stack.deployment(deploymentId);
        String body = EventCodec.mapper().createObjectNode().set("resources", resources).toString();
        Http.Response response = cloudApi(deployment.environment(), "PUT", "/deployments/" + deploymentId
                + "/elasticsearch/" + deployment.refId() + "/remote-clusters", body);
        if (response.status() != 202) {
            throw new AssertionError("remote-clusters PUT refused: " + response);
        }
    }

    /**
     * {@code GET _resolve/cluster/<alias>:*} on the deployment: the alias's entry. Unlike {@code _remote/info} it makes
     * a connection attempt (Elasticsearch never retries a failed one by itself).
     */
    public JsonNode resolveCluster(String deploymentId, String alias) {
        return ok(elasticsearch(deploymentId, "GET", "/_resolve/cluster/" + alias + ":*")).path(alias);
    }

    /** Registers {@code alias} on the deployment in proxy mode ({@code _cluster/settings}), as an operator would. */
    public void registerProxyRemote(String deploymentId, String alias, String proxyAddress, String serverName) {
        ObjectNode settings = EventCodec.mapper().createObjectNode();
        settings.put("mode", "proxy").put("proxy_address", proxyAddress).put("server_name", serverName);
        ok(elasticsearch(deploymentId, "PUT", "/_cluster/settings", remoteSettings(alias, settings)));
    }

    /** Removes {@code alias} from the deployment: every key null in one request (skip_unavailable included). */
    public void removeRemote(String deploymentId, String alias) {
        ObjectNode nulls = EventCodec.mapper().createObjectNode();
        for (String key : List.of("mode", "proxy_address", "server_name", "skip_unavailable", "seeds", "proxy_socket_connections")) {
            nulls.putNull(key);
        }
        ok(elasticsearch(deploymentId, "PUT", "/_cluster/settings", remoteSettings(alias, nulls)));
    }

    private static String remoteSettings(String alias, ObjectNode settings) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.putObject("persistent").putObject("cluster").putObject("remote").set(alias, settings);
        return body.toString();
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

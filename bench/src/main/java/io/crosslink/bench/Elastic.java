package io.crosslink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.deploy.ServiceWiring;
import io.crosslink.deploy.SimDeployment;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Elastic calls of the saga, made directly (the baseline), exactly as the services make them: Elasticsearch
 * through each deployment's service_url (cloud-sim's pass-through, where latency faults apply) as its superuser,
 * the keystore through the Cloud API of L's environment. Also reads the real state for the invariants (on the
 * nodes themselves, so injected faults never disturb what is observed).
 */
final class Elastic {
    private final String cloudApiUrl;
    private final SimDeployment local;
    private final SimDeployment remote;
    private final int remoteClusterPort;

    Elastic(String cloudApiUrl, SimDeployment local, SimDeployment remote, int remoteClusterPort) {
        this.cloudApiUrl = cloudApiUrl;
        this.local = local;
        this.remote = remote;
        this.remoteClusterPort = remoteClusterPort;
    }

    SimDeployment local() {
        return local;
    }

    SimDeployment remote() {
        return remote;
    }

    // ---- the saga's calls, in its order ----

    /** connect-service's checks: {@code GET /api/v1/deployments/{id}} of L and of R (Cloud API). */
    void lookUpDeployments() throws IOException {
        for (SimDeployment deployment : List.of(local, remote)) {
            Http.ok("GET deployment", "GET", cloudApiUrl + "/api/v1/deployments/" + deployment.id(), null, cloudAuth(deployment));
        }
    }

    /** key-service: look for a lost key of the connection, then {@code POST /_security/cross_cluster/api_key} on R. Returns id and encoded key. */
    String[] createKey(String keyName, String connectionId, String alias) throws IOException {
        Http.ok("GET api_key", "GET", remote.serviceUrl() + "/_security/api_key?active_only=true&name="
                + URLEncoder.encode(keyName, StandardCharsets.UTF_8), null, esAuth(remote));
        ObjectNode body = Http.JSON.createObjectNode().put("name", keyName);
        body.putObject("access").putArray("search").addObject().putArray("names").add("demo-*");
        body.putObject("metadata").put("managed_by", "crosslink-bench").put("connection_id", connectionId).put("alias", alias)
                .put("local_deployment_id", local.id());
        JsonNode created = Http.ok("POST cross_cluster/api_key", "POST", remote.serviceUrl() + "/_security/cross_cluster/api_key",
                body.toString(), esAuth(remote));
        return new String[] {created.path("id").asText(), created.path("encoded").asText()};
    }

    /** trust-service: {@code PATCH .../keystore} of L with {@code cluster.remote.<alias>.credentials} (null value: remove it). */
    void patchKeystore(String alias, String encoded) throws IOException {
        ObjectNode body = Http.JSON.createObjectNode();
        ObjectNode entry = body.putObject("secrets").putObject(ElasticSnapshot.credentialsEntry(alias));
        if (encoded != null) {
            entry.put("value", encoded);
        }
        entry.put("as_file", false);
        Http.ok("PATCH keystore", "PATCH", keystoreUrl(), body.toString(), cloudAuth(local));
    }

    /** connect-service: the remote in proxy mode on L ({@code PUT _cluster/settings}). */
    void registerRemote(String alias) throws IOException {
        ObjectNode body = Http.JSON.createObjectNode();
        body.putObject("persistent").putObject("cluster").putObject("remote").putObject(alias).put("mode", "proxy")
                .put("proxy_address", remote.endpoint() + ":" + remoteClusterPort).put("server_name", remote.endpoint())
                .put("skip_unavailable", true);
        Http.ok("PUT _cluster/settings", "PUT", local.serviceUrl() + "/_cluster/settings", body.toString(), esAuth(local));
    }

    /** connect-service's undo: every setting of the alias nulled in one request. */
    void removeRemote(String alias) throws IOException {
        ObjectNode settings = Http.JSON.createObjectNode();
        ObjectNode remoteSettings = settings.putObject("persistent").putObject("cluster").putObject("remote").putObject(alias);
        for (String name : List.of("mode", "proxy_address", "server_name", "skip_unavailable", "proxy_socket_connections",
                "seeds", "node_connections")) {
            remoteSettings.putNull(name);
        }
        Http.ok("PUT _cluster/settings (null)", "PUT", local.serviceUrl() + "/_cluster/settings", settings.toString(), esAuth(local));
    }

    /** What one verification attempt of the baseline found. */
    enum Attempt {
        /** Connected and the probe search answered: proven. */
        VERIFIED,
        /** Registered, not (yet) connected: look again. */
        WAITING,
        /** Missing from the node's remotes although registered (Elasticsearch lost it, see connect-service's RemoteWatch). */
        LOST
    }

    /**
     * verify-service's attempt: {@code _resolve/cluster/<alias>:*}, {@code _remote/info}, and once connected the probe
     * search {@code <alias>:demo-*\/_search?size=0}. An alias {@code _remote/info} does not list is {@link Attempt#LOST}
     * (then {@code _resolve/cluster} answers 404 {@code no_such_remote_cluster_exception}).
     */
    Attempt verifyAttempt(String alias) throws IOException {
        Http.Response resolve = Http.send("GET", local.serviceUrl() + "/_resolve/cluster/" + alias + ":*", null, esAuth(local));
        JsonNode info = Http.ok("_remote/info", "GET", local.serviceUrl() + "/_remote/info", null, esAuth(local));
        if (!info.has(alias)) {
            return Attempt.LOST;
        }
        if (!resolve.ok()) {
            return Attempt.WAITING;
        }
        JsonNode resolved = resolve.json().path(alias);
        if (!resolved.path("connected").asBoolean(false) || resolved.hasNonNull("error")) {
            return Attempt.WAITING;
        }
        Http.Response probe = Http.send("GET", local.serviceUrl() + "/" + alias + ":" + URLEncoder.encode("demo-*", StandardCharsets.UTF_8)
                + "/_search?size=0", null, esAuth(local));
        if (!probe.ok()) {
            return Attempt.WAITING;
        }
        JsonNode details = probe.json().path("_clusters").path("details").path(alias);
        String status = details.path("status").asText("successful");
        return status.equals("successful") || status.equals("partial") ? Attempt.VERIFIED : Attempt.WAITING;
    }

    /** key-service's undo: {@code DELETE /_security/api_key} with the ids. */
    void invalidateKey(String keyId) throws IOException {
        Http.ok("DELETE api_key", "DELETE", remote.serviceUrl() + "/_security/api_key",
                Http.JSON.createObjectNode().set("ids", Http.JSON.createArrayNode().add(keyId)).toString(), esAuth(remote));
    }

    // ---- the real state, for the invariants ----

    ElasticSnapshot snapshot() throws IOException {
        List<String> keys = new ArrayList<>();
        for (JsonNode key : Http.ok("GET api_key", "GET", remote.elasticsearchUrl() + "/_security/api_key?active_only=true&name=crosslink-*",
                null, esAuth(remote)).path("api_keys")) {
            if (!key.path("invalidated").asBoolean(false)) {
                keys.add(key.path("name").asText());
            }
        }
        Set<String> entries = new HashSet<>();
        Http.ok("GET keystore", "GET", keystoreUrl(), null, cloudAuth(local)).path("secrets").fieldNames()
                .forEachRemaining(entries::add);
        Set<String> settingAliases = new HashSet<>();
        Http.ok("GET _cluster/settings", "GET", local.elasticsearchUrl() + "/_cluster/settings?flat_settings=true", null, esAuth(local))
                .path("persistent").fieldNames().forEachRemaining(setting -> {
                    if (setting.startsWith("cluster.remote.")) {
                        String rest = setting.substring("cluster.remote.".length());
                        settingAliases.add(rest.substring(0, Math.max(0, rest.indexOf('.'))));
                    }
                });
        Map<String, Boolean> connected = new HashMap<>();
        Http.ok("GET _remote/info", "GET", local.elasticsearchUrl() + "/_remote/info", null, esAuth(local)).properties()
                .forEach(remoteInfo -> connected.put(remoteInfo.getKey(), remoteInfo.getValue().path("connected").asBoolean(false)));
        return new ElasticSnapshot(keys, entries, settingAliases, connected);
    }

    private String keystoreUrl() {
        return cloudApiUrl + "/api/v1/deployments/" + local.id() + "/elasticsearch/" + local.refId() + "/keystore";
    }

    private static String[] cloudAuth(SimDeployment deployment) {
        return new String[] {"Authorization", "ApiKey " + ServiceWiring.DEV_API_KEYS.get(deployment.environment())};
    }

    private static String[] esAuth(SimDeployment deployment) {
        return new String[] {"Authorization", Http.basic(deployment.username(), deployment.password())};
    }
}

package io.crosslink.verify.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.EventCodec;
import io.crosslink.infra.ElasticsearchNode;
import io.crosslink.infra.ProcessReaper;
import io.crosslink.verify.support.TestEvents;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real Elasticsearch node (8.19 by default, {@code -Delasticsearch.version}) playing the local deployment L
 * and, through its own remote cluster server, the remote R: a node may be a remote cluster of itself, and the
 * API-key handshake, the keystore reload and the cross-cluster search run as real code. Supplies
 * {@code crosslink.deployments.<local id>.*}.
 *
 * <p>Prepared once per run (idempotent, the node keeps its data in target/ between runs): {@code demo-index}
 * with one document; cross-cluster API keys with search access to {@code demo-*}; in the keystore
 * {@code cluster.remote.linked.credentials} (a valid key) and {@code cluster.remote.revoked.credentials} (an
 * invalidated key), and no entry for {@code late} until {@link #reloadLateKey()}.
 */
public class LocalElasticsearch implements QuarkusTestResourceLifecycleManager {
    static final String ADDRESS = "127.0.24.1";
    static final List<String> ALIASES = List.of("linked", "late", "revoked", "tls", "tls_late", "tls_probe");
    /** The node's own trust restriction: the otherName commonName of its transport certificate, one label less. */
    private static final String OWN_TRUST = "trust.subject_name: [\"*.verify-es.ece.local\"]\n";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ElasticsearchNode node;
    private static String lateKey;

    @Override
    public Map<String, String> start() {
        try {
            String version = System.getProperty("elasticsearch.version", "8.19.21");
            node = ElasticsearchNode.start(new ElasticsearchNode.Config("verify-es", version, ADDRESS, 9200, 9300, 9443,
                    "node.verify-es.ece.local", Path.of("target", "crosslink-test", "elasticsearch").toAbsolutePath(),
                    "512m"), ProcessReaper.forStack("test-verify-service-elasticsearch"));
            prepare();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Elasticsearch for the tests: " + e.getMessage(), e);
        }
        String prefix = "crosslink.deployments." + TestEvents.LOCAL_ID + ".";
        return Map.of(
                prefix + "elasticsearch-url", node.httpUri().toString(),
                prefix + "username", node.username(),
                prefix + "password", node.password());
    }

    @Override
    public void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static void prepare() throws IOException {
        restoreTransportTrust(); // a run that died mid-test may have left a restriction behind
        send("PUT", "/demo-index/_doc/1?refresh=true", "{\"message\":\"hello from R\"}");
        StringBuilder clear = new StringBuilder("{\"persistent\":{\"cluster\":{\"remote\":{");
        for (String alias : ALIASES) {
            clear.append(alias.equals(ALIASES.get(0)) ? "" : ",").append('"').append(alias).append("\":{\"mode\":null,"
                    + "\"proxy_address\":null,\"server_name\":null,\"skip_unavailable\":null}");
        }
        send("PUT", "/_cluster/settings", clear.append("}}}}").toString());
        String linkedKey = createKey("crosslink-verify-it-linked").path("encoded").asText();
        JsonNode revoked = createKey("crosslink-verify-it-revoked");
        send("DELETE", "/_security/api_key", "{\"ids\":[\"" + revoked.path("id").asText() + "\"]}");
        lateKey = createKey("crosslink-verify-it-late").path("encoded").asText();
        node.removeKeystoreEntry("cluster.remote.late.credentials");
        node.addKeystoreEntry("cluster.remote.linked.credentials", linkedKey);
        node.addKeystoreEntry("cluster.remote.revoked.credentials", revoked.path("encoded").asText());
        node.reloadSecureSettings();
    }

    /** Registers R on L as trust-service and connect-service would leave it: proxy mode to the remote cluster port. */
    static void registerRemote(String alias) {
        send("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster\":{\"remote\":{\"" + alias + "\":{\"mode\":\"proxy\","
                + "\"proxy_address\":\"" + ADDRESS + ":9443\",\"server_name\":\"" + ADDRESS + "\",\"skip_unavailable\":true}}}}}");
    }

    /**
     * Registers the node on itself as the certificate model has it: proxy mode to its transport port, where transport
     * TLS with its own CA and trust restrictions decides, and no credentials in the keystore for the alias.
     */
    static void registerCertificateRemote(String alias, boolean skipUnavailable) {
        send("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster\":{\"remote\":{\"" + alias + "\":{\"mode\":\"proxy\","
                + "\"proxy_address\":\"" + ADDRESS + ":9300\",\"server_name\":\"" + ADDRESS + "\",\"skip_unavailable\":"
                + skipUnavailable + "}}}}}");
    }

    static void unregisterRemote(String alias) {
        send("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster\":{\"remote\":{\"" + alias + "\":{\"mode\":null,"
                + "\"proxy_address\":null,\"server_name\":null,\"skip_unavailable\":null}}}}}");
    }

    /** Replaces the node's transport trust restrictions (Elasticsearch reloads the file within seconds). */
    static void restrictTransportTrust(String subjectNamePattern) throws IOException {
        Files.writeString(node.trustRestrictionsFile(), "trust.subject_name: [\"" + subjectNamePattern + "\"]\n");
    }

    static void restoreTransportTrust() throws IOException {
        if (!OWN_TRUST.equals(Files.readString(node.trustRestrictionsFile()))) {
            Files.writeString(node.trustRestrictionsFile(), OWN_TRUST);
        }
    }

    /**
     * Whether a new transport handshake to itself succeeds now: a fresh registration and {@code _resolve/cluster}
     * (established connections outlive trust changes, so only a new one tells whether the current trust admits it).
     */
    static boolean freshHandshakeConnects() {
        unregisterRemote("tls_probe");
        registerCertificateRemote("tls_probe", true);
        try {
            return send("GET", "/_resolve/cluster/tls_probe:*", "").path("tls_probe").path("connected").asBoolean(false);
        } finally {
            unregisterRemote("tls_probe");
        }
    }

    /** The late keystore reload: the key for {@code late} arrives after the remote was registered. */
    static void reloadLateKey() throws IOException {
        node.addKeystoreEntry("cluster.remote.late.credentials", lateKey);
        node.reloadSecureSettings();
    }

    static String password() {
        return node.password();
    }

    private static JsonNode createKey(String name) {
        return send("POST", "/_security/cross_cluster/api_key",
                "{\"name\":\"" + name + "\",\"access\":{\"search\":[{\"names\":[\"demo-*\"]}]}}");
    }

    private static JsonNode send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.httpUri() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (node.username() + ":" + node.password()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return EventCodec.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

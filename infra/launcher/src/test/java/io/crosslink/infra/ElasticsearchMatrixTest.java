package io.crosslink.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One node of each version of the matrix (infra/elasticsearch's pom): it starts with the Java the rule picks,
 * reports its real version in {@code _nodes/_local}, and answers the strong-identity probe (#16) as recorded in
 * infra/elasticsearch/README.md. Runs with {@code -Dcrosslink.es-matrix.test=true} ({@code deploy/matrix/run.sh}) when
 * every version is built (the default build builds them; {@code -Des.matrix.skip} leaves the others out).
 */
class ElasticsearchMatrixTest {
    private static final String ADDRESS = "127.0.29.2";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ProcessReaper reaper;

    /** Every version of the matrix; each is skipped (with the reason) unless all of them are built. */
    static List<String> matrix() {
        return CrosslinkPaths.elasticsearchVersions().matrix();
    }

    @ParameterizedTest(name = "Elasticsearch {0}")
    @MethodSource("matrix")
    void startsAndReportsItsRealVersion(String version) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("crosslink.es-matrix.test"), "one node per version takes two minutes: "
                + "deploy/matrix/run.sh runs it (-Dcrosslink.es-matrix.test=true); the e2e's version-matrix smoke covers CI");
        CrosslinkPaths.ElasticsearchVersions versions = CrosslinkPaths.elasticsearchVersions();
        List<String> missing = versions.matrix().stream().filter(v -> !versions.isBuilt(v)).toList();
        Assumptions.assumeTrue(missing.isEmpty(), "Elasticsearch " + missing + " not built: run "
                + "./mvnw -B -pl infra/elasticsearch package (without -Des.matrix.skip) to test the version matrix " + versions.matrix());
        synchronized (ElasticsearchMatrixTest.class) {
            if (reaper == null) {
                reaper = ProcessReaper.forStack("test-elasticsearch-matrix");
            }
        }
        Path workDir = Path.of("target", "es-matrix-" + version).toAbsolutePath();
        ElasticsearchUser.deleteTree(workDir);
        try (ElasticsearchNode node = ElasticsearchNode.start(new ElasticsearchNode.Config("es-matrix", version, ADDRESS,
                9201, 9301, 9444, "node.es-matrix.ece.local", workDir, "512m"), reaper)) {
            assertEquals(version, node.runningVersion());
            int java = ElasticsearchJava.featureOf(node.javaHome()).orElseThrow();
            assertTrue(ElasticsearchJava.supported(version).contains(java), version + " runs on Java " + java);
            System.out.printf("matrix: Elasticsearch %s on Java %d (%s)%n", version, java, node.javaHome());
            probeStrongIdentity(node, version);
        }
    }

    /**
     * The strong-identity surface (9.3+): a cross-cluster key with {@code certificate_identity}, L's signing
     * settings and R's trusted signing CAs, all dynamic. Older versions must refuse the key field.
     */
    private static void probeStrongIdentity(ElasticsearchNode node, String version) throws Exception {
        HttpResponse<String> key = call(node, "POST", "/_security/cross_cluster/api_key",
                "{\"name\":\"probe\",\"access\":{\"search\":[{\"names\":[\"logs-*\"]}]},"
                        + "\"certificate_identity\":\"CN=.*\\\\.es-matrix\\\\.ece\\\\.local\"}");
        List<String> evidence = new ArrayList<>();
        evidence.add("create cross-cluster key with certificate_identity: HTTP " + key.statusCode() + " " + redact(key.body()));
        HttpResponse<String> signing = call(node, "PUT", "/_cluster/settings", "{\"persistent\":{"
                + "\"cluster.remote.probe.signing.certificate\":\"certs/node.pem\","
                + "\"cluster.remote.probe.signing.key\":\"certs/node.key\"}}");
        evidence.add("set cluster.remote.probe.signing.certificate/.key: HTTP " + signing.statusCode() + " " + signing.body());
        HttpResponse<String> trust = call(node, "PUT", "/_cluster/settings", "{\"persistent\":{"
                + "\"cluster.remote.signing.certificate_authorities\":[\"certs/ca.pem\"]}}");
        evidence.add("set cluster.remote.signing.certificate_authorities: HTTP " + trust.statusCode() + " " + trust.body());
        evidence.forEach(line -> System.out.println("probe " + version + ": " + line));

        if (strongIdentityVersion(version)) {
            assertEquals(200, key.statusCode(), key.body());
            assertEquals(200, signing.statusCode(), signing.body());
            assertEquals(200, trust.statusCode(), trust.body());
            HttpResponse<String> undo = call(node, "PUT", "/_cluster/settings", "{\"persistent\":{"
                    + "\"cluster.remote.probe.signing.certificate\":null,\"cluster.remote.probe.signing.key\":null,"
                    + "\"cluster.remote.signing.certificate_authorities\":null}}");
            assertEquals(200, undo.statusCode(), undo.body());
        } else {
            assertEquals(400, key.statusCode(), key.body());
            assertTrue(key.body().contains("certificate_identity"), key.body());
            assertEquals(400, signing.statusCode(), signing.body());
            assertEquals(400, trust.statusCode(), trust.body());
        }
    }

    private static boolean strongIdentityVersion(String version) {
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        return major > 9 || major == 9 && minor >= 3;
    }

    /** The key's {@code encoded} and {@code api_key} values never reach the output. */
    private static String redact(String body) {
        return body.replaceAll("\"(encoded|api_key)\"\\s*:\\s*\"[^\"]*\"", "\"$1\":\"********\"");
    }

    private static HttpResponse<String> call(ElasticsearchNode node, String method, String path, String body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(node.httpUri().resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (node.username() + ":" + node.password()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}

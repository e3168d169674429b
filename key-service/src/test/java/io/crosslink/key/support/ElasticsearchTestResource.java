package io.crosslink.key.support;

import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.infra.ElasticsearchNode;
import io.crosslink.infra.ProcessReaper;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real Elasticsearch node (the remote deployment R) for the Quarkus tests of key-service, on its own
 * loopback address, plus the deployments key-service is configured with:
 * {@link #REMOTE} reaches the node directly, {@link #FLAKY} through a flaky {@link FlakyElasticsearchProxy},
 * {@link #SLOW} through one that holds every request until the test releases it (a deployment that does not answer),
 * {@link #UNREACHABLE} points at a port nothing listens on. Also supplies a fresh data key.
 */
public class ElasticsearchTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String ADDRESS = "127.0.23.1";
    public static final String REMOTE = "0b5e55ed12345678abcdef0123456789";
    public static final String FLAKY = "f1a4e7000000000000000000000000ff";
    public static final String UNREACHABLE = "dead0000000000000000000000000000";
    public static final String SLOW = "5105105105105105105105105105105a";
    /** How long the slow deployment holds a request at most: less than the client's request timeout (15 s). */
    static final Duration SLOW_MAX_HOLD = Duration.ofSeconds(12);

    private ElasticsearchNode node;
    private FlakyElasticsearchProxy proxy;
    private FlakyElasticsearchProxy slow;

    @Override
    public Map<String, String> start() {
        try {
            Path workDir = Path.of("target", "es-remote").toAbsolutePath();
            deleteTree(workDir); // a fresh node each run
            String version = System.getProperty("elasticsearch.version", "8.19.21");
            node = ElasticsearchNode.start(new ElasticsearchNode.Config("key-remote", version, ADDRESS, 9200, 9300,
                    9443, "node.key-remote.ess.local", workDir, "512m"), ProcessReaper.forStack("test-key-service-es"));
            proxy = FlakyElasticsearchProxy.start(ADDRESS, node.httpUri());
            slow = FlakyElasticsearchProxy.holding(ADDRESS, node.httpUri(), SLOW_MAX_HOLD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.ofEntries(
                Map.entry("crosslink.deployments." + REMOTE + ".elasticsearch-url", node.httpUri().toString()),
                Map.entry("crosslink.deployments." + REMOTE + ".username", node.username()),
                Map.entry("crosslink.deployments." + REMOTE + ".password", node.password()),
                Map.entry("crosslink.deployments." + FLAKY + ".elasticsearch-url", proxy.uri().toString()),
                Map.entry("crosslink.deployments." + FLAKY + ".username", node.username()),
                Map.entry("crosslink.deployments." + FLAKY + ".password", node.password()),
                Map.entry("crosslink.deployments." + SLOW + ".elasticsearch-url", slow.uri().toString()),
                Map.entry("crosslink.deployments." + SLOW + ".username", node.username()),
                Map.entry("crosslink.deployments." + SLOW + ".password", node.password()),
                // Nothing listens on 9201 of the node's own address: connection refused.
                Map.entry("crosslink.deployments." + UNREACHABLE + ".elasticsearch-url", "http://" + ADDRESS + ":9201"),
                Map.entry("crosslink.deployments." + UNREACHABLE + ".username", node.username()),
                Map.entry("crosslink.deployments." + UNREACHABLE + ".password", node.password()),
                Map.entry("crosslink.secrets.data-keys", SecretBox.newDataKey()));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (slow != null) {
            slow.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

package io.crosslink.cloudsim;

import static io.crosslink.cloudsim.SimFixtures.ECE_KEY;
import static io.crosslink.cloudsim.SimFixtures.LOCAL_ID;
import static io.crosslink.cloudsim.SimFixtures.REMOTE_ID;
import static io.crosslink.cloudsim.SimFixtures.cloud;
import static io.crosslink.cloudsim.SimFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.keystore.KeystoreHelper;
import io.crosslink.cloudsim.service.DeploymentRegistry;
import io.crosslink.cloudsim.service.KeystoreService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * The Cloud API keystore through the nodes' keystore helpers, on the real "local" node: values really land in its
 * {@code elasticsearch.keystore} (read back by Elasticsearch's own reader and by {@code elasticsearch-keystore}),
 * the node reloads them, a dead helper is replaced without losing anything, and values never show in a log or a
 * command line. Also measures a keystore change (printed, never asserted).
 */
@QuarkusTest
class KeystoreTest {
    private static final String KEYSTORE = "/api/v1/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch/keystore";
    private static final String PROXY = "/api/v1/deployments/" + LOCAL_ID + "/elasticsearch/main-elasticsearch/proxy";

    @Inject
    KeystoreService keystores;

    @Inject
    DeploymentRegistry registry;

    @Test
    void addsReplacesRemovesAndListsInTheNodesKeystoreFile() throws Exception {
        String name = "cluster.remote.ks_crud.credentials";
        String other = "cluster.remote.ks_crud_other.credentials";
        try {
            Response added = patch("{\"secrets\":{\"" + name + "\":{\"value\":\"first-value\"},\"" + other
                    + "\":{\"value\":\"other-value\",\"as_file\":true}}}");
            assertEquals(200, added.statusCode(), added::asString);
            assertEquals(false, json(added).path("secrets").path(name).path("as_file").asBoolean(true));
            assertEquals(true, json(added).path("secrets").path(other).path("as_file").asBoolean(false));
            assertFalse(added.asString().contains("first-value"), "values are never returned");
            assertEquals(sha256("first-value"), helper().digest(name), "the value in the keystore file");
            assertEquals(sha256("other-value"), helper().digest(other));
            assertTrue(helper().list().containsAll(List.of(name, other)), helper().list()::toString);

            assertEquals(200, patch("{\"secrets\":{\"" + name + "\":{\"value\":\"second-value\"}}}").statusCode());
            assertEquals(sha256("second-value"), helper().digest(name), "replaced");
            assertEquals(sha256("other-value"), helper().digest(other), "untouched");

            // Elasticsearch's own tool reads the file the helper wrote.
            List<String> cli = local().node().keystoreEntries();
            assertTrue(cli.containsAll(List.of(name, other)), cli::toString);

            Response removed = patch("{\"secrets\":{\"" + name + "\":null,\"" + other + "\":{\"as_file\":false},"
                    + "\"cluster.remote.ks_never_there.credentials\":null}}");
            assertEquals(200, removed.statusCode(), removed::asString);
            assertFalse(json(removed).path("secrets").has(name));
            assertFalse(json(removed).path("secrets").has(other));
            assertNull(helper().digest(name));
            assertFalse(helper().list().contains(other));
            JsonNode read = json(cloud(ECE_KEY).get(KEYSTORE));
            assertFalse(read.path("secrets").has(name));
        } finally {
            patch("{\"secrets\":{\"" + name + "\":null,\"" + other + "\":null}}");
        }
    }

    @Test
    void theNodeReloadsTheCredentials() throws Exception {
        String alias = "ks_reload";
        String endpoint = remoteEndpoint();
        try {
            assertEquals(200, patch(credentials(alias)).statusCode());
            registerRemote(alias, endpoint);
            // _remote/info shows cluster_credentials only when the running node holds credentials for the alias.
            JsonNode info = json(proxy().get(PROXY + "/_remote/info")).path(alias);
            assertEquals("::es_redacted::", info.path("cluster_credentials").asText(), info::toString);

            assertEquals(200, patch("{\"secrets\":{\"cluster.remote." + alias + ".credentials\":null}}").statusCode());
            JsonNode after = json(proxy().get(PROXY + "/_remote/info")).path(alias);
            assertTrue(after.path("cluster_credentials").isMissingNode(), after::toString);
        } finally {
            removeRemote(alias);
            patch("{\"secrets\":{\"cluster.remote." + alias + ".credentials\":null}}");
        }
    }

    /**
     * Ten changes at once, each answered only after its reload: afterwards the node holds every one of them. Overlapping
     * reloads (before cloud-sim ran them one at a time) left some remotes without credentials.
     */
    @Test
    void concurrentChangesAreAllReloaded() throws Exception {
        String endpoint = remoteEndpoint();
        List<String> aliases = IntStream.range(0, 10).mapToObj(i -> "ks_burst_" + i).toList();
        ExecutorService pool = Executors.newFixedThreadPool(aliases.size());
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String alias : aliases) {
                answers.add(pool.submit(() -> patch(credentials(alias)).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get());
            }
            for (String alias : aliases) {
                registerRemote(alias, endpoint);
            }
            JsonNode info = json(proxy().get(PROXY + "/_remote/info"));
            List<String> withoutCredentials = aliases.stream()
                    .filter(alias -> !"::es_redacted::".equals(info.path(alias).path("cluster_credentials").asText()))
                    .toList();
            assertEquals(List.of(), withoutCredentials, info::toString);
        } finally {
            pool.shutdownNow();
            aliases.forEach(KeystoreTest::removeRemote);
            patch("{\"secrets\":{" + String.join(",", aliases.stream()
                    .map(alias -> "\"cluster.remote." + alias + ".credentials\":null").toList()) + "}}");
        }
    }

    @Test
    void aDeadHelperIsReplacedAndNothingIsLost() throws Exception {
        String kept = "cluster.remote.ks_crash_kept.credentials";
        String added = "cluster.remote.ks_crash_added.credentials";
        try {
            assertEquals(200, patch("{\"secrets\":{\"" + kept + "\":{\"value\":\"before-the-crash\"}}}").statusCode());
            KeystoreHelper first = helper();
            // kill -9 of the helper's Java (under runuser when cloud-sim is root), behind cloud-sim's back.
            ProcessHandle.of(first.pid()).ifPresent(runner -> {
                runner.descendants().forEach(ProcessHandle::destroyForcibly);
                runner.destroyForcibly();
            });
            ProcessHandle.of(first.pid()).ifPresent(p -> p.onExit().join());

            assertEquals(200, patch("{\"secrets\":{\"" + added + "\":{\"value\":\"after-the-crash\"}}}").statusCode());
            KeystoreHelper second = helper();
            assertNotEquals(first.pid(), second.pid(), "a new helper");
            assertEquals(sha256("before-the-crash"), second.digest(kept), "persisted in the file, read by the new helper");
            assertEquals(sha256("after-the-crash"), second.digest(added));
            assertTrue(json(cloud(ECE_KEY).get(KEYSTORE)).path("secrets").has(kept));
        } finally {
            patch("{\"secrets\":{\"" + kept + "\":null,\"" + added + "\":null}}");
        }
    }

    @Test
    void anotherWriterOfTheFileIsSeen() throws Exception {
        String name = "cluster.remote.ks_other_writer.credentials";
        String mine = "cluster.remote.ks_helper_writer.credentials";
        try {
            helper().list(); // the helper holds the decrypted keystore in memory
            local().node().addKeystoreEntry(name, "written-by-elasticsearch-keystore");
            assertEquals(sha256("written-by-elasticsearch-keystore"), helper().digest(name), "read again after the other write");
            assertEquals(200, patch("{\"secrets\":{\"" + mine + "\":{\"value\":\"mine\"}}}").statusCode());
            assertEquals(sha256("written-by-elasticsearch-keystore"), helper().digest(name), "kept by the helper's save");
        } finally {
            patch("{\"secrets\":{\"" + name + "\":null,\"" + mine + "\":null}}");
        }
    }

    @Test
    void aValueNeverReachesALogOrACommandLine() throws Exception {
        String secret = "secret-" + UUID.randomUUID();
        String name = "cluster.remote.ks_secret.credentials";
        ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
                logged.add(record.getLoggerName() + " " + message + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            assertEquals(200, patch("{\"secrets\":{\"" + name + "\":{\"value\":\"" + secret + "\"}}}").statusCode());
            // A value the node cannot take (two lines) fails as it always did: a 500, nothing written.
            Response refused = patch("{\"secrets\":{\"" + name + "\":{\"value\":\"" + secret + "\\nsecond line\"}}}");
            assertEquals(500, refused.statusCode(), refused::asString);
            assertEquals(sha256(secret), helper().digest(name), "unchanged");
            assertEquals(200, patch("{\"secrets\":{\"" + name + "\":null}}").statusCode());
        } finally {
            root.removeHandler(capture);
            patch("{\"secrets\":{\"" + name + "\":null}}");
        }
        assertTrue(logged.stream().anyMatch(line -> line.contains("change(s) applied")), "the capture works: " + logged);
        assertTrue(logged.stream().noneMatch(line -> line.contains(secret)), "no value in cloud-sim's log");

        KeystoreHelper helper = helper();
        Path helperLog = helper.launch().runDir().resolve("keystore-helper.log");
        assertFalse(Files.exists(helperLog) && Files.readString(helperLog).contains(secret), "no value in the helper's log");
        List<ProcessHandle> processes = new ArrayList<>();
        ProcessHandle.of(helper.pid()).ifPresent(p -> {
            processes.add(p);
            p.descendants().forEach(processes::add);
        });
        assertFalse(processes.isEmpty());
        for (ProcessHandle process : processes) {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
            assertFalse(cmdline.contains(secret) || cmdline.contains(name), cmdline);
        }
        assertFalse(String.join(" ", helper.launch().command()).contains(secret));
    }

    /**
     * Measures (prints, asserts nothing about time): 20 keystore changes through the Cloud API (PATCH round trip,
     * including the synchronous secure-settings reload of the node), 20 writes straight through the helper, and 20
     * reloads alone.
     */
    @Test
    void measuresAKeystoreChange() throws Exception {
        List<Long> patches = new ArrayList<>();
        List<Long> writes = new ArrayList<>();
        List<Long> reloads = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                String name = "cluster.remote.ks_latency_" + (i % 4) + ".credentials";
                String body = i % 3 == 2 ? "{\"secrets\":{\"" + name + "\":null}}"
                        : "{\"secrets\":{\"" + name + "\":{\"value\":\"value-" + i + "\"}}}";
                long begin = System.nanoTime();
                Response response = patch(body);
                patches.add((System.nanoTime() - begin) / 1_000_000);
                assertEquals(200, response.statusCode(), response::asString);
            }
            SimDeployment local = local();
            KeystoreHelper helper = helper();
            for (int i = 0; i < 20; i++) {
                String name = "cluster.remote.ks_latency_" + (i % 4) + ".credentials";
                Map<String, String> change = Collections.singletonMap(name, i % 3 == 2 ? null : "direct-" + i);
                local.writeLock().lock();
                try {
                    long begin = System.nanoTime();
                    helper.apply(change);
                    writes.add((System.nanoTime() - begin) / 1_000_000);
                } finally {
                    local.writeLock().unlock();
                }
                assertEquals(change.get(name) == null ? null : sha256(change.get(name)), helper.digest(name));
            }
            for (int i = 0; i < 20; i++) {
                long begin = System.nanoTime();
                local.node().reloadSecureSettings();
                reloads.add((System.nanoTime() - begin) / 1_000_000);
            }
        } finally {
            patch("{\"secrets\":{\"cluster.remote.ks_latency_0.credentials\":null,\"cluster.remote.ks_latency_1.credentials\":null,"
                    + "\"cluster.remote.ks_latency_2.credentials\":null,\"cluster.remote.ks_latency_3.credentials\":null}}");
        }
        System.out.println("KEYSTORE-LATENCY keystore PATCH round trip (write + synchronous reload_secure_settings): "
                + percentiles(patches));
        System.out.println("KEYSTORE-LATENCY keystore write through the helper (" + helper().ping() + "): " + percentiles(writes));
        System.out.println("KEYSTORE-LATENCY POST _nodes/reload_secure_settings alone (Elasticsearch decrypts the keystore): "
                + percentiles(reloads));
    }

    private static String percentiles(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format("n=%d p50=%d ms p95=%d ms max=%d ms, in order %s", sorted.size(), sorted.get((sorted.size() - 1) / 2),
                sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1), sorted.get(sorted.size() - 1), millis);
    }

    private KeystoreHelper helper() {
        return keystores.runningHelper(local()).orElseThrow(() -> new AssertionError("no keystore helper for local"));
    }

    private SimDeployment local() {
        return registry.byId(LOCAL_ID);
    }

    private static Response patch(String body) {
        return cloud(ECE_KEY).body(body).patch(KEYSTORE);
    }

    /** A keystore change that sets {@code cluster.remote.<alias>.credentials}. */
    private static String credentials(String alias) {
        return "{\"secrets\":{\"cluster.remote." + alias + ".credentials\":{\"value\":\"c29tZTprZXk=\"}}}";
    }

    private static String remoteEndpoint() {
        return json(cloud(SimFixtures.ESS_KEY).get("/api/v1/deployments/" + REMOTE_ID)).path("resources")
                .path("elasticsearch").get(0).path("info").path("metadata").path("endpoint").asText();
    }

    /** The alias on L in proxy mode to R's remote cluster server. */
    private static void registerRemote(String alias, String endpoint) {
        Response settings = proxy().body("{\"persistent\":{\"cluster\":{\"remote\":{\"" + alias + "\":{\"mode\":\"proxy\","
                + "\"proxy_address\":\"" + endpoint + ":9443\",\"skip_unavailable\":true}}}}}").put(PROXY + "/_cluster/settings");
        assertEquals(200, settings.statusCode(), settings::asString);
    }

    private static void removeRemote(String alias) {
        proxy().body("{\"persistent\":{\"cluster\":{\"remote\":{\"" + alias + "\":{\"mode\":null,\"proxy_address\":null,"
                + "\"skip_unavailable\":null}}}}}").put(PROXY + "/_cluster/settings");
    }

    private static io.restassured.specification.RequestSpecification proxy() {
        return cloud(ECE_KEY).header("X-Management-Request", "true");
    }

    static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}

package io.crosslink.cloudsim.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.infra.CrosslinkPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keystore helper on its own, against a config folder of its own (no node): both save modes, a keystore created
 * by the first add, files read back by {@code elasticsearch-keystore}, a restart after a crash, refusals.
 */
class KeystoreHelperTest {
    private static final Path HOME = CrosslinkPaths.elasticsearchHome(System.getProperty("elasticsearch.version", "8.19.21"));

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fast save {0}")
    @ValueSource(booleans = {true, false})
    void addsReplacesRemovesListsAndElasticsearchKeystoreReadsTheFile(boolean fastSave) throws Exception {
        try (KeystoreHelper helper = KeystoreHelper.start(launch(fastSave))) {
            assertTrue(helper.ping().endsWith(fastSave ? "fast-save" : "standard-save"), helper.ping());
            // No keystore yet: listing is refused, the first add creates it (as elasticsearch-keystore add --force).
            assertThrows(KeystoreHelper.RefusedException.class, helper::list);
            assertThrows(KeystoreHelper.RefusedException.class, () -> helper.apply(nullValue("a.b")));
            assertTrue(helper.apply(Map.of("cluster.remote.one.credentials", "first")));
            assertTrue(Files.isRegularFile(config().resolve("elasticsearch.keystore")));

            Map<String, String> changes = new LinkedHashMap<>();
            changes.put("cluster.remote.two.credentials", "zwei – ünïcode");
            changes.put("cluster.remote.one.credentials", "first, replaced");
            changes.put("cluster.remote.gone.credentials", null);
            assertTrue(helper.apply(changes));
            for (int i = 0; i < 5; i++) {
                assertTrue(helper.apply(Map.of("cluster.remote.three.credentials", "value " + i)));
            }
            assertFalse(helper.apply(nullValue("cluster.remote.never.credentials")), "nothing to save");
            assertEquals(List.of("cluster.remote.one.credentials", "cluster.remote.three.credentials",
                    "cluster.remote.two.credentials"), helper.list());
            assertEquals(sha256("first, replaced"), helper.digest("cluster.remote.one.credentials"));
            assertEquals(sha256("zwei – ünïcode"), helper.digest("cluster.remote.two.credentials"));
            assertEquals(sha256("value 4"), helper.digest("cluster.remote.three.credentials"));
            assertTrue(helper.apply(nullValue("cluster.remote.three.credentials")));
            assertNull(helper.digest("cluster.remote.three.credentials"));
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(config().resolve("elasticsearch.keystore"))));
        }
        // Elasticsearch's own tool reads what the helper wrote, values included.
        assertEquals("first, replaced", tool("show", "cluster.remote.one.credentials"));
        assertEquals(List.of("cluster.remote.one.credentials", "cluster.remote.two.credentials", "keystore.seed"),
                List.of(tool("list").split("\n")));
    }

    @Test
    void aNewHelperAfterACrashFindsEverything() throws Exception {
        KeystoreHelper first = KeystoreHelper.start(launch(true));
        assertTrue(first.apply(Map.of("cluster.remote.kept.credentials", "kept")));
        first.kill();
        assertFalse(first.isAlive());
        assertThrows(IOException.class, first::list);
        try (KeystoreHelper second = KeystoreHelper.start(launch(true))) {
            assertEquals(List.of("cluster.remote.kept.credentials"), second.list());
            assertEquals(sha256("kept"), second.digest("cluster.remote.kept.credentials"));
        }
    }

    @Test
    void aFileWrittenByElasticsearchKeystoreMeanwhileIsReadAgain() throws Exception {
        try (KeystoreHelper helper = KeystoreHelper.start(launch(true))) {
            assertTrue(helper.apply(Map.of("cluster.remote.mine.credentials", "mine")));
            toolWithStdin("theirs\n", "add", "--stdin", "--force", "cluster.remote.theirs.credentials");
            assertEquals(sha256("theirs"), helper.digest("cluster.remote.theirs.credentials"));
            assertTrue(helper.apply(Map.of("cluster.remote.mine.credentials", "mine again")));
            assertEquals(sha256("theirs"), helper.digest("cluster.remote.theirs.credentials"), "not lost by the helper's save");
        }
        assertEquals("theirs", tool("show", "cluster.remote.theirs.credentials"));
        assertEquals("mine again", tool("show", "cluster.remote.mine.credentials"));
    }

    @Test
    void aDamagedKeystoreIsRefusedAndTheHelperLivesOn() throws Exception {
        try (KeystoreHelper helper = KeystoreHelper.start(launch(true))) {
            assertTrue(helper.apply(Map.of("cluster.remote.x.credentials", "x")));
            Files.writeString(config().resolve("elasticsearch.keystore"), "not a keystore");
            KeystoreHelper.RefusedException refused = assertThrows(KeystoreHelper.RefusedException.class, helper::list);
            assertTrue(helper.isAlive(), refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> helper.apply(Map.of("bad name", "x")), "checked before sending");
        }
    }

    @Test
    void aHelperThatCannotFindElasticsearchDoesNotStart() throws Exception {
        Path emptyHome = Files.createDirectories(dir.resolve("empty-home/lib"));
        KeystoreHelper.Launch broken = new KeystoreHelper.Launch("test", config(), java(), emptyHome.getParent(),
                dir.resolve("run"), null, true, Duration.ofSeconds(30));
        IOException e = assertThrows(IOException.class, () -> KeystoreHelper.start(broken));
        assertTrue(e.getMessage().contains("KeyStoreWrapper"), e.getMessage());
    }

    private KeystoreHelper.Launch launch(boolean fastSave) throws IOException {
        Files.createDirectories(config());
        return new KeystoreHelper.Launch("test", config(), java(), HOME, dir.resolve("run"), null, fastSave, Duration.ofSeconds(60));
    }

    private Path config() {
        return dir.resolve("config");
    }

    private static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Map<String, String> nullValue(String name) {
        Map<String, String> change = new LinkedHashMap<>();
        change.put(name, null);
        return change;
    }

    private String tool(String... args) throws Exception {
        return toolWithStdin(null, args);
    }

    /** bin/elasticsearch-keystore on the test's config folder (this JVM's Java); its stdout, trimmed. */
    private String toolWithStdin(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("bin/elasticsearch-keystore").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ES_JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("ES_PATH_CONF", config().toString());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out.trim();
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}

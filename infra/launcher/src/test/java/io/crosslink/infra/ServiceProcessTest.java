package io.crosslink.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ServiceProcess} on a real child JVM: {@link FakeQuarkusApp} packed as an executable jar. */
class ServiceProcessTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String SECRET = "s3cr3t-data-key-" + System.nanoTime();
    private static final ProcessReaper REAPER = ProcessReaper.forStack("test-launcher-service");
    private static final Path WORK = Path.of("target", "service-process-test").toAbsolutePath();
    private static Path jar;

    @BeforeAll
    static void packFakeApp() throws Exception {
        Files.createDirectories(WORK);
        jar = WORK.resolve("fake-app.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeQuarkusApp.class.getName());
        Path classes = Path.of(FakeQuarkusApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String packageDir = FakeQuarkusApp.class.getPackageName().replace('.', '/');
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                var files = Files.list(classes.resolve(packageDir))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("FakeQuarkusApp")).toList()) {
                out.putNextEntry(new JarEntry(packageDir + "/" + file.getFileName()));
                Files.copy(file, (OutputStream) out);
                out.closeEntry();
            }
        }
    }

    @Test
    void configReachesTheAppOnlyThroughAnOwnerOnlyFileAndStopIsGraceful() throws Exception {
        ServiceProcess service = ServiceProcess.builder("fake-config", jar)
                .workDir(WORK)
                .config("crosslink.secrets.data-key", SECRET)
                .start(REAPER);
        try {
            service.awaitReady(READY);
            assertEquals(SECRET, get(service.url() + "/config?crosslink.secrets.data-key"));
            assertEquals(Integer.toString(service.port()), get(service.url() + "/config?quarkus.http.port"));
            assertTrue(service.url().startsWith("http://127.0.0.1:"), service.url());

            String commandLine = Files.readString(Path.of("/proc", Long.toString(service.pid()), "cmdline"))
                    .replace('\0', ' ');
            assertFalse(commandLine.contains(SECRET), "the secret is on the command line: " + commandLine);
            assertTrue(commandLine.contains("-Dquarkus.config.locations="), commandLine);
            assertTrue(commandLine.contains(" -XX:TieredStopAtLevel=1 "), "C1 only: " + commandLine);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(service.configFile())));
        } finally {
            service.stop();
        }
        assertFalse(service.isAlive());
        assertFalse(KafkaBrokerTest.running(service.pid()));
        String log = Files.readString(service.log(), StandardCharsets.UTF_8);
        assertTrue(log.contains("fake app: listening on " + service.port()), log);
        assertTrue(log.contains("fake app: graceful shutdown"), "SIGTERM should run the shutdown hooks: " + log);
        service.stop(); // idempotent
    }

    @Test
    void killIsACrashAndRestartComesBackOnTheSamePort() throws Exception {
        ServiceProcess service = ServiceProcess.builder("fake-crash", jar).workDir(WORK).start(REAPER);
        try {
            service.awaitReady(READY);
            long firstPid = service.pid();
            service.kill();
            assertFalse(KafkaBrokerTest.running(firstPid), "still running after kill()");
            assertFalse(Files.readString(service.log()).contains("graceful shutdown"), "SIGKILL ran shutdown hooks");

            service.restart();
            service.awaitReady(READY);
            assertNotEquals(firstPid, service.pid());
            assertEquals(Integer.toString(service.port()), get(service.url() + "/config?quarkus.http.port"));
            String log = Files.readString(service.log());
            assertEquals(2, log.split("fake app: listening on", -1).length - 1, "both runs are in the log: " + log);
            assertTrue(log.contains("fake-crash restarted at"), log);
        } finally {
            service.stop();
        }
        assertFalse(service.isAlive());
    }

    @Test
    void awaitReadyFailsFastWithTheLogTailWhenTheProcessExits() {
        ServiceProcess service = ServiceProcess.builder("fake-fail", jar)
                .workDir(WORK)
                .config("fake.fail", "true")
                .start(REAPER);
        try {
            // A long timeout: the failure must come from the exit, not from the deadline.
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> service.awaitReady(Duration.ofMinutes(10)));
            assertTrue(failure.getMessage().contains("exited with status 3"), failure.getMessage());
            assertTrue(failure.getMessage().contains("cannot start, fake.fail is set"), failure.getMessage());
        } finally {
            service.stop();
        }
    }

    @Test
    void aMissingJarIsNamed() {
        Path missing = WORK.resolve("no-such-app/quarkus-run.jar");
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> ServiceProcess.builder("missing", missing).workDir(WORK).start(REAPER));
        assertTrue(failure.getMessage().contains(missing.toString()), failure.getMessage());
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    @Test
    void extraJvmOptionsAreSplitOnWhitespace() {
        assertEquals(List.of(), ServiceProcess.extraJvmOptions(null));
        assertEquals(List.of(), ServiceProcess.extraJvmOptions("  "));
        assertEquals(List.of("-XX:TieredStopAtLevel=4", "-Xlog:gc"),
                ServiceProcess.extraJvmOptions(" -XX:TieredStopAtLevel=4 \t -Xlog:gc "));
    }
}

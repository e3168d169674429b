package io.crosslink.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A Quarkus application run from its fast-jar as a child JVM:
 * {@code java -Xmx<heap> -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dquarkus.config.locations=<name>.properties -jar
 * quarkus-run.jar}.
 * Its whole configuration (HTTP port and host included) goes into a properties file readable by the owner
 * only, so secrets such as data keys and passwords never show on a command line ({@code ps}). Output goes to
 * {@code <name>.log} (appended across restarts). The child is watched by the {@link ProcessReaper}: a killed
 * parent leaves nothing behind.
 *
 * <p>For crash tests: {@link #kill()} sends SIGKILL, {@link #restart()} starts the same application again
 * with the same configuration and port.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceProcess.class);
    private static final int LOG_TAIL_LINES = 40;
    /**
     * The client compiler only. These applications wait on Kafka, PostgreSQL and Elastic; on the 2-core machines that run
     * the whole stack, C2's compiler threads took a quarter to a third of the services' CPU during a bench burst and
     * slowed Elasticsearch beside them (deploy/bench: 940 → 502 CPU-ms per saga, saga p50 4.0 → 3.5 s, startup 25 → 15 s).
     */
    static final String JIT_C1_ONLY = "-XX:TieredStopAtLevel=1";
    /** Environment variable of JVM options added after the others (so they win), e.g. {@code -XX:TieredStopAtLevel=4}. */
    public static final String EXTRA_JVM_OPTIONS = "CROSSLINK_SERVICE_JAVA_OPTS";
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String name;
    private final Path jar;
    private final int port;
    private final int managementPort;
    private final String host;
    private final String heap;
    private final List<String> jvmOptions;
    /** Replaced only by {@link #restart(Map)}; read under the lock. */
    private Map<String, String> config;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final Path configFile;
    private final Path log;
    private final Duration stopGrace;
    private final ProcessReaper reaper;
    private Process process;

    private ServiceProcess(Builder builder, ProcessReaper reaper) {
        this.name = builder.name;
        this.jar = builder.jar;
        this.port = builder.port;
        this.managementPort = builder.managementPort;
        this.host = builder.host;
        this.heap = builder.heap;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.config = Map.copyOf(builder.config);
        this.environment = Map.copyOf(builder.environment);
        this.workingDirectory = builder.workingDirectory;
        this.configFile = builder.workDir.resolve(name + ".properties");
        this.log = builder.workDir.resolve(name + ".log");
        this.stopGrace = builder.stopGrace;
        this.reaper = reaper;
    }

    /** A service named {@code name} (also the name of its config and log files) run from {@code jar}. */
    public static Builder builder(String name, Path jar) {
        return new Builder(name, jar);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** The management interface's port ({@code quarkus.management.port}: metrics), on the same host. */
    public int managementPort() {
        return managementPort;
    }

    /** {@code http://<host>:<management port>}: where {@code /q/metrics} answers for a service that enables it. */
    public String managementUrl() {
        String address = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return "http://" + address + ":" + managementPort;
    }

    /** {@code http://<host>:<port>}, with 127.0.0.1 for a service bound to all interfaces. */
    public String url() {
        String address = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return "http://" + address + ":" + port;
    }

    public Path log() {
        return log;
    }

    public Path configFile() {
        return configFile;
    }

    /** The PID of the current (or last) child JVM. */
    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Waits until {@code /q/health/ready} answers 200. Fails at once, with the end of the log, when the process
     * exits; fails with the end of the log when the timeout passes.
     */
    public void awaitReady(Duration timeout) {
        URI health = URI.create(url() + "/q/health/ready");
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Process current;
            synchronized (this) {
                current = process;
            }
            if (!current.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + current.exitValue()
                        + " before it was ready; the end of " + log + ":\n" + logTail(LOG_TAIL_LINES));
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; the end of "
                        + log + ":\n" + logTail(LOG_TAIL_LINES));
            }
            try {
                current.waitFor(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** Stops the service gracefully (SIGTERM; SIGKILL after the grace period) and waits until it is gone. Idempotent. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            long begin = System.nanoTime();
            process.destroy();
            if (!waitForExit(stopGrace)) {
                LOG.warnf("%s (pid %d) did not stop within %d s: killing it", name, process.pid(), stopGrace.toSeconds());
                process.destroyForcibly();
                waitForExit(Duration.ofSeconds(10));
            }
            LOG.debugf("%s stopped in %d ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        }
        reaper.forget(process.pid());
    }

    /** Kills the service with SIGKILL (no shutdown hooks run: a crash) and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        if (!waitForExit(Duration.ofSeconds(10))) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL");
        }
        reaper.forget(process.pid());
    }

    /**
     * Stops the service if it runs, then starts it again on the same port with {@code changes} applied to its
     * configuration (kept for later restarts), e.g. a rotated keyring. Call {@link #awaitReady} next.
     */
    public synchronized void restart(Map<String, String> changes) {
        Map<String, String> changed = new java.util.LinkedHashMap<>(config);
        changed.putAll(changes);
        config = Map.copyOf(changed);
        restart();
    }

    /** Stops the service if it runs, then starts it again with the same configuration and port. Call {@link #awaitReady} next. */
    public synchronized void restart() {
        stop();
        try {
            Files.writeString(log, "---- " + name + " restarted at " + Instant.now() + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.CREATE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log, e);
        }
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    static List<String> extraJvmOptions(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    @Override
    public String toString() {
        return "ServiceProcess[" + name + ", " + url() + (process == null ? "" : ", pid " + process.pid()) + "]";
    }

    private synchronized void launch() {
        writeConfig();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add(JIT_C1_ONLY);
        command.addAll(jvmOptions);
        command.addAll(extraJvmOptions(System.getenv(EXTRA_JVM_OPTIONS)));
        command.add("-Dquarkus.config.locations=" + configFile.toUri());
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        reaper.watch(name, process.pid());
        LOG.debugf("%s started (pid %d, %s, log %s)", name, process.pid(), url(), log);
    }

    /** Owner-only file; recreated each launch so its permissions are never looser. */
    private void writeConfig() {
        Properties properties = new Properties();
        properties.putAll(config);
        properties.put("quarkus.http.port", Integer.toString(port));
        properties.put("quarkus.http.host", host);
        // Ignored by a service without the management interface; one that has it binds beside the API port, never
        // on every interface (the default 0.0.0.0) and never on a port another instance on this host holds.
        properties.put("quarkus.management.port", Integer.toString(managementPort));
        properties.put("quarkus.management.host", host);
        try {
            Files.deleteIfExists(configFile);
            Files.createFile(configFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                properties.store(writer, name + ": written by " + ServiceProcess.class.getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** How to run one service. */
    public static final class Builder {
        private final String name;
        private final Path jar;
        private int port;
        private int managementPort;
        private String host = "127.0.0.1";
        private String heap = "256m";
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> config = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private Path workDir;
        private Duration stopGrace = Duration.ofSeconds(30);

        private Builder(String name, Path jar) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("unsupported service name: " + name);
            }
            this.name = name;
            this.jar = Objects.requireNonNull(jar, "jar").toAbsolutePath().normalize();
        }

        /** The HTTP port ({@code quarkus.http.port}); 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The management interface's port ({@code quarkus.management.port}); 0 (the default) picks a free one. */
        public Builder managementPort(int port) {
            this.managementPort = port;
            return this;
        }

        /** The HTTP bind address ({@code quarkus.http.host}); loopback by default. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder heap(String heap) {
            this.heap = Objects.requireNonNull(heap, "heap");
            return this;
        }

        /** An extra JVM option (never a secret: it shows in {@code ps}). */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Configuration properties of the application (secrets welcome: they only go to the owner-only file). */
        public Builder config(Map<String, String> properties) {
            config.putAll(properties);
            return this;
        }

        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        public Builder workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        /** Where {@code <name>.properties} and {@code <name>.log} go (created if missing). Required. */
        public Builder workDir(Path directory) {
            this.workDir = directory.toAbsolutePath().normalize();
            return this;
        }

        /** How long {@link ServiceProcess#stop()} waits after SIGTERM before SIGKILL (30 s by default). */
        public Builder stopGrace(Duration grace) {
            this.stopGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /** Starts the child JVM and returns at once: call {@link ServiceProcess#awaitReady} next. */
        public ServiceProcess start(ProcessReaper reaper) {
            Objects.requireNonNull(workDir, "workDir");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build it first (./mvnw -B install -DskipTests)");
            }
            try {
                Files.createDirectories(workDir);
                Files.writeString(workDir.resolve(name + ".log"), "", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare " + workDir, e);
            }
            if (port == 0) {
                port = FreePorts.pick(host);
            }
            if (managementPort == 0) {
                managementPort = FreePorts.pick(host);
            }
            ServiceProcess service = new ServiceProcess(this, reaper);
            service.launch();
            return service;
        }
    }
}

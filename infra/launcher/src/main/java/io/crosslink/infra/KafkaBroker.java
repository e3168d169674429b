package io.crosslink.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A real single-node KRaft Kafka server (broker and controller in one process) in its own JVM, run by
 * {@code io.crosslink.kafka.BrokerMain} of infra/kafka-broker on the classpath {@link CrosslinkPaths#kafkaBrokerLib()}.
 * The child exits when its stdin closes, so it dies with this JVM; the reaper covers the rest.
 *
 * <p>Work dir layout: {@code server.properties}, {@code broker.log} (INFO and above), {@code data/} (the log dir).
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaBroker.class);

    /** Printed by BrokerMain on stdout once the broker serves requests / when it cannot start. */
    private static final String READY = "CROSSLINK-KAFKA-BROKER-READY";
    private static final String FAILED = "CROSSLINK-KAFKA-BROKER-FAILED";
    private static final String MAIN_CLASS = "io.crosslink.kafka.BrokerMain";
    private static final long START_TIMEOUT_SECONDS = 120;
    /** BrokerMain halts itself 10 s after its stdin closed. */
    private static final long STOP_TIMEOUT_SECONDS = 15;

    private final Process process;
    private final OutputStream stdin;
    private final String bootstrapServers;
    private final ProcessReaper reaper;
    private final Path workDir;
    private final ClassDataSharing cds;
    private boolean stopped;

    private KafkaBroker(Process process, String bootstrapServers, ProcessReaper reaper, Path workDir,
            ClassDataSharing cds) {
        this.process = process;
        this.cds = cds;
        this.stdin = process.getOutputStream();
        this.bootstrapServers = bootstrapServers;
        this.reaper = reaper;
        this.workDir = workDir;
    }

    /**
     * Starts a KRaft single-node broker+controller in its own JVM, listening on host:port (port 0 = a free
     * port; the controller listens on another free port of 127.0.0.1), every replication factor / min ISR = 1
     * (incl. the transaction state log), auto topic creation on, group initial rebalance delay 0, log dirs in
     * workDir (wiped on start unless keepData). Registers the child with the reaper. Returns once the broker
     * serves client requests.
     */
    public static KafkaBroker start(Path workDir, String host, int port, boolean keepData, ProcessReaper reaper)
            throws IOException {
        long begin = System.nanoTime();
        Path lib = CrosslinkPaths.kafkaBrokerLib();
        workDir = workDir.toAbsolutePath().normalize();
        Path dataDir = workDir.resolve("data");
        if (!keepData) {
            deleteRecursively(dataDir);
        }
        Files.createDirectories(dataDir);

        boolean anyAddress = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::");
        String bindHost = anyAddress ? "0.0.0.0" : host;
        String advertisedHost = anyAddress ? "127.0.0.1" : host;
        int brokerPort = port == 0 ? FreePorts.pick(bindHost) : port;
        int controllerPort = FreePorts.pick("127.0.0.1");

        Path config = workDir.resolve("server.properties");
        Files.writeString(config, serverProperties(bindHost, advertisedHost, brokerPort, controllerPort, dataDir),
                StandardCharsets.UTF_8);

        // The jars of lib/ in a fixed order (what lib/* means, but stable for the class data sharing archive).
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        ClassDataSharing cds = ClassDataSharing.forClasspath(lib, jars);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true", "-Dcrosslink.broker.logDir=" + workDir));
        command.addAll(cds.jvmOptions());
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, jars.stream().map(Path::toString).toList()),
                MAIN_CLASS, config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Process process = builder.start();
        reaper.watch("kafka-broker " + advertisedHost + ":" + brokerPort, process.pid());
        String bootstrap = advertisedHost + ":" + brokerPort;
        KafkaBroker broker = new KafkaBroker(process, bootstrap, reaper, workDir, cds);

        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread output = new Thread(() -> relayOutput(process, ready), "kafka-broker-" + brokerPort + "-output");
        output.setDaemon(true);
        output.start();
        try {
            ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broker.stop();
            throw new IOException("interrupted while starting the Kafka broker", e);
        } catch (ExecutionException | TimeoutException e) {
            broker.stop();
            String cause = e instanceof TimeoutException ? "not ready after " + START_TIMEOUT_SECONDS + " s"
                    : e.getCause().getMessage();
            throw new IOException("Kafka broker on " + bootstrap + " did not start: " + cause + "; see "
                    + workDir.resolve("broker.log") + tail(workDir.resolve("broker.log")));
        }
        LOG.infof("Kafka broker %s ready in %d ms (pid %d, work dir %s)", bootstrap,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), process.pid(), workDir);
        return broker;
    }

    /** "host:port" for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long pid() {
        return process.pid();
    }

    /** Graceful stop: closes the child's stdin, waits, then kills it. Forgets it in the reaper. Idempotent. */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        long begin = System.nanoTime();
        try {
            stdin.close();
        } catch (IOException e) {
            LOG.debugf("closing the broker's stdin: %s", e);
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warnf("Kafka broker %s (pid %d) did not stop in %d s: killing it", bootstrapServers, process.pid(),
                        STOP_TIMEOUT_SECONDS);
                ProcessReaper.terminate(process.pid(), 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessReaper.terminate(process.pid(), 0);
        }
        reaper.forget(process.pid());
        if (!process.isAlive()) {
            cds.afterExit(process.exitValue());
        }
        LOG.infof("Kafka broker %s stopped in %d ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers + ", pid " + process.pid() + ", " + workDir + "]";
    }

    private static String serverProperties(String bindHost, String advertisedHost, int brokerPort, int controllerPort,
            Path dataDir) {
        StringBuilder p = new StringBuilder();
        p.append("# Written by Crosslink's KafkaBroker launcher on every start.\n");
        p.append("process.roles=broker,controller\n");
        p.append("node.id=1\n");
        p.append("controller.quorum.voters=1@127.0.0.1:").append(controllerPort).append('\n');
        p.append("listeners=PLAINTEXT://").append(bindHost).append(':').append(brokerPort)
                .append(",CONTROLLER://127.0.0.1:").append(controllerPort).append('\n');
        p.append("advertised.listeners=PLAINTEXT://").append(advertisedHost).append(':').append(brokerPort).append('\n');
        p.append("controller.listener.names=CONTROLLER\n");
        p.append("inter.broker.listener.name=PLAINTEXT\n");
        p.append("listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT\n");
        p.append("log.dirs=").append(escape(dataDir.toString())).append('\n');
        // One node: every replication factor and min ISR is 1.
        p.append("default.replication.factor=1\n");
        p.append("min.insync.replicas=1\n");
        p.append("offsets.topic.replication.factor=1\n");
        p.append("transaction.state.log.replication.factor=1\n");
        p.append("transaction.state.log.min.isr=1\n");
        p.append("share.coordinator.state.topic.replication.factor=1\n");
        p.append("share.coordinator.state.topic.min.isr=1\n");
        // Few partitions for internal topics: they are created faster (the first group join waits for them).
        p.append("num.partitions=1\n");
        p.append("offsets.topic.num.partitions=5\n");
        p.append("transaction.state.log.num.partitions=5\n");
        p.append("share.coordinator.state.topic.num.partitions=1\n");
        p.append("auto.create.topics.enable=true\n");
        p.append("group.initial.rebalance.delay.ms=0\n");
        // Small footprint: the log cleaner's dedupe buffer is 128 MB of heap by default.
        p.append("log.cleaner.dedupe.buffer.size=16777216\n");
        p.append("num.network.threads=2\n");
        p.append("num.io.threads=4\n");
        p.append("background.threads=4\n");
        p.append("num.recovery.threads.per.data.dir=1\n");
        return p.toString();
    }

    /** Backslashes and other specials in a properties value. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=");
    }

    private static void relayOutput(Process process, CompletableFuture<Void> ready) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals(READY)) {
                    ready.complete(null);
                } else if (line.startsWith(FAILED)) {
                    ready.completeExceptionally(new IllegalStateException(line.substring(FAILED.length()).trim()));
                } else {
                    // The broker logs WARN and above on its console.
                    LOG.warnf("[kafka-broker pid %d] %s", process.pid(), line);
                }
            }
        } catch (IOException e) {
            LOG.debugf("reading the broker's output: %s", e);
        }
        if (!ready.isDone()) {
            String code;
            try {
                code = process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "?";
            } catch (InterruptedException e) {
                code = "?";
            }
            ready.completeExceptionally(new IllegalStateException("the broker process exited with code " + code));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "; its last lines:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * A dynamic AppCDS archive for a child JVM with a fixed classpath: it halves the Kafka broker's start-up
     * (~2.7 s to ~1.4 s here). The first run records the classes it loaded ({@code -XX:ArchiveClassesAtExit},
     * which costs a few seconds when that JVM exits); later runs map them ({@code -XX:SharedArchiveFile}).
     * Archives live next to the classpath folder ({@code <lib>/../<lib>-cds/}), named after a hash of the JDK and
     * of the jars' names, sizes and modification times, so a rebuilt classpath gets a new archive. A stale or
     * unusable archive is silently ignored by the JVM. Off with {@code -Dcrosslink.cds=false}.
     */
    private static final class ClassDataSharing {
        private static final ClassDataSharing NONE = new ClassDataSharing(List.of(), null, null);

        private final List<String> jvmOptions;
        private final Path recording;
        private final Path archive;

        private ClassDataSharing(List<String> jvmOptions, Path recording, Path archive) {
            this.jvmOptions = jvmOptions;
            this.recording = recording;
            this.archive = archive;
        }

        static ClassDataSharing forClasspath(Path lib, List<Path> jars) {
            if (!Boolean.parseBoolean(System.getProperty("crosslink.cds", "true"))) {
                return NONE;
            }
            try {
                Path dir = lib.resolveSibling(lib.getFileName() + "-cds");
                Files.createDirectories(dir);
                Path archive = dir.resolve("classes-" + key(jars) + ".jsa");
                List<String> quiet = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
                if (Files.isRegularFile(archive)) {
                    return new ClassDataSharing(
                            Stream.concat(quiet.stream(), Stream.of("-XX:SharedArchiveFile=" + archive)).toList(), null, null);
                }
                deleteOldRecordings(dir);
                Path recording = dir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + "-"
                        + System.nanoTime() + ".tmp");
                return new ClassDataSharing(
                        Stream.concat(quiet.stream(), Stream.of("-XX:ArchiveClassesAtExit=" + recording)).toList(), recording,
                        archive);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("no class data sharing for %s: %s", lib, e);
                return NONE;
            }
        }

        List<String> jvmOptions() {
            return jvmOptions;
        }

        /** After the child exited: a recording of a clean exit becomes the archive for later runs. */
        void afterExit(int exitCode) {
            if (recording == null) {
                return;
            }
            try {
                if (exitCode == 0 && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                    Files.move(recording, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    LOG.debugf("class data sharing archive %s created", archive);
                    try (Stream<Path> files = Files.list(archive.getParent())) {
                        for (Path other : files.filter(f -> f.getFileName().toString().endsWith(".jsa") && !f.equals(archive))
                                .toList()) {
                            Files.deleteIfExists(other);
                        }
                    }
                } else {
                    Files.deleteIfExists(recording);
                }
            } catch (IOException e) {
                LOG.debugf("cannot keep the class data sharing archive %s: %s", recording, e);
            }
        }

        private static String key(List<Path> jars) throws IOException {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                StringBuilder text = new StringBuilder(System.getProperty("java.home")).append('\n')
                        .append(System.getProperty("java.vm.version")).append('\n');
                for (Path jar : jars) {
                    text.append(jar).append(' ').append(Files.size(jar)).append(' ')
                            .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
                }
                return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Recordings of children that never exited cleanly. */
        private static void deleteOldRecordings(Path dir) throws IOException {
            Instant limit = Instant.now().minus(Duration.ofHours(1));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(limit)) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }
}

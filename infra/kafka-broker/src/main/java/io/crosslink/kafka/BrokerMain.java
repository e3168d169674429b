package io.crosslink.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Runs a single KRaft Kafka server (broker and/or controller) as a child process of a Crosslink launcher.
 *
 * <p>Usage: {@code BrokerMain <server.properties>}. It
 * <ol>
 * <li>sets the system property {@code crosslink.broker.logDir} to the folder of the properties file (where
 * log4j2 writes {@code broker.log}), unless given;</li>
 * <li>formats the log dirs with a random cluster id unless they are formatted already
 * ({@code kafka-storage format --ignore-formatted});</li>
 * <li>starts the server and, once it serves requests, prints {@value #READY} on stdout;</li>
 * <li>exits when its stdin reaches end of file (its parent closed it or died): graceful shutdown, halted
 * after {@value #SHUTDOWN_GRACE_MS} ms at the latest. So the broker never outlives its launcher.</li>
 * </ol>
 * Exit code 0 after a stop, 1 when start-up failed.
 */
public final class BrokerMain {
    /** The line printed on stdout once the broker serves requests. */
    public static final String READY = "CROSSLINK-KAFKA-BROKER-READY";
    /** The line printed on stdout (followed by the message) when start-up failed. */
    public static final String FAILED = "CROSSLINK-KAFKA-BROKER-FAILED";
    static final long SHUTDOWN_GRACE_MS = 10_000;

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: BrokerMain <server.properties>");
            System.exit(2);
        }
        Path config = Path.of(args[0]).toAbsolutePath();
        // Before the first logger exists: log4j2.xml reads it.
        if (System.getProperty("crosslink.broker.logDir") == null) {
            System.setProperty("crosslink.broker.logDir", config.getParent().toString());
        }
        PrintStream stdout = System.out;
        watchStdin();

        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BrokerMain.class);
        kafka.server.KafkaRaftServer server;
        try {
            format(config, props, log);
            kafka.server.KafkaConfig kafkaConfig = kafka.server.KafkaConfig.fromProps(props, false);
            server = new kafka.server.KafkaRaftServer(kafkaConfig, org.apache.kafka.common.utils.Time.SYSTEM);
        } catch (Throwable e) {
            log.error("Kafka broker cannot start", e);
            failed(stdout, e);
            return;
        }
        kafka.server.KafkaRaftServer started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.shutdown();
            } catch (Throwable e) {
                log.warn("Kafka broker shutdown failed", e);
            }
        }, "kafka-shutdown-hook"));
        try {
            server.startup();
        } catch (Throwable e) {
            log.error("Kafka broker failed during start-up", e);
            failed(stdout, e);
            return;
        }
        log.info("Kafka broker ready ({})", config);
        stdout.println(READY);
        stdout.flush();
        server.awaitShutdown();
        System.exit(0);
    }

    /**
     * {@code kafka-storage format -t <cluster id> -c <config> --ignore-formatted}, without its System.exit. The
     * cluster id is the one of an already formatted log dir (kept data), else a random one.
     */
    private static void format(Path config, Properties props, org.slf4j.Logger log) throws IOException {
        String clusterId = null;
        String dirs = props.getProperty("log.dirs", props.getProperty("log.dir", ""));
        for (String dir : dirs.split(",")) {
            Path meta = Path.of(dir.trim()).resolve("meta.properties");
            if (!dir.isBlank() && Files.isRegularFile(meta)) {
                Properties existing = new Properties();
                try (Reader in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                    existing.load(in);
                }
                clusterId = existing.getProperty("cluster.id");
                if (clusterId != null) {
                    break;
                }
            }
        }
        if (clusterId == null) {
            clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        }
        java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = kafka.tools.StorageTool.execute(
                    new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"}, out);
        }
        String text = output.toString(StandardCharsets.UTF_8).trim();
        if (code != 0) {
            throw new IllegalStateException("kafka-storage format failed (" + code + "): " + text);
        }
        log.info("kafka-storage format: {}", text);
    }

    private static void failed(PrintStream stdout, Throwable e) {
        stdout.println(FAILED + " " + String.valueOf(e).replace('\n', ' '));
        stdout.flush();
        Runtime.getRuntime().halt(1);
    }

    /** Exits once stdin is closed; halts if the graceful shutdown hangs. */
    private static void watchStdin() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // Nothing to read from the launcher: only end of file matters.
                }
            } catch (IOException e) {
                // Broken stdin: treat as closed.
            }
            Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_GRACE_MS);
                } catch (InterruptedException ignored) {
                    // halt now
                }
                Runtime.getRuntime().halt(3);
            }, "crosslink-halter");
            halter.setDaemon(true);
            halter.start();
            System.exit(0);
        }, "crosslink-stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}

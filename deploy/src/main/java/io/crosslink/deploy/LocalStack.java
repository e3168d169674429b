package io.crosslink.deploy;

import io.crosslink.infra.CrosslinkPaths;
import io.crosslink.infra.KafkaBroker;
import io.crosslink.infra.PostgresServer;
import io.crosslink.infra.ProcessReaper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the whole local stack (Kafka, PostgreSQL, cloud-sim with its real Elasticsearch deployments, and
 * the services), prints where everything is, and stops it all on Ctrl-C. Every process it starts is
 * watched by a reaper, so even a killed launcher leaves nothing behind.
 */
public final class LocalStack {
    static final String KAFKA_HOST = "127.0.0.1";
    static final int KAFKA_PORT = 9092;
    static final int POSTGRES_PORT = 15432;
    static final int CLOUD_SIM_PORT = 8090;
    static final List<String> DATABASES = List.of("connect", "key", "trust", "verify");

    private final Path root = CrosslinkPaths.root();
    private final Path state = root.resolve("deploy/local/.state");
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final ProcessReaper reaper = ProcessReaper.forStack("local");

    public static void main(String[] args) throws Exception {
        boolean clean = List.of(args).contains("--clean");
        LocalStack stack = new LocalStack();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
        try {
            stack.start(clean);
        } catch (Exception e) {
            System.err.println("\nThe local stack failed to start: " + e.getMessage());
            System.err.println("Logs: " + stack.state.resolve("logs"));
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    private void start(boolean clean) throws Exception {
        Instant begin = Instant.now();
        if (clean) {
            deleteRecursively(state);
        }
        Files.createDirectories(state.resolve("logs"));
        say("Starting Kafka and PostgreSQL ...");
        KafkaBroker kafka = KafkaBroker.start(state.resolve("kafka"), KAFKA_HOST, KAFKA_PORT, true, reaper);
        started.push(kafka);
        PostgresServer postgres = PostgresServer.start(state.resolve("postgres"), POSTGRES_PORT, DATABASES, true, reaper);
        started.push(postgres);

        say("Starting cloud-sim and its Elasticsearch deployments (about a minute) ...");
        ChildService cloudSim = ChildService.start("cloud-sim",
                root.resolve("cloud-sim/target/quarkus-app/quarkus-run.jar"), CLOUD_SIM_PORT,
                Map.of("CLOUD_SIM_WORK_DIR", state.resolve("es").toString(), "CLOUD_SIM_STACK", "local-sim"),
                state.resolve("logs"), reaper);
        started.push(cloudSim);
        cloudSim.awaitReady(Duration.ofMinutes(4));

        say("""

                Crosslink local stack is up (%d s). Ctrl-C stops everything.
                  Kafka        %s:%d
                  PostgreSQL   127.0.0.1:%d  (databases %s, user postgres / postgres)
                  cloud-sim    http://localhost:%d/api/v1   (ECE key: ece-dev-api-key, Elastic Cloud key: ess-dev-api-key)
                  logs         %s

                Demo deployments:
                  curl -s -H 'Authorization: ApiKey ece-dev-api-key' http://localhost:%d/api/v1/deployments
                  curl -s -H 'Authorization: ApiKey ess-dev-api-key' http://localhost:%d/api/v1/deployments
                  curl -s http://localhost:%d/sim/deployments      # service_url and superuser of each node
                """.formatted(Duration.between(begin, Instant.now()).toSeconds(), KAFKA_HOST, KAFKA_PORT, POSTGRES_PORT,
                DATABASES, CLOUD_SIM_PORT, state.resolve("logs"), CLOUD_SIM_PORT, CLOUD_SIM_PORT, CLOUD_SIM_PORT));
    }

    private synchronized void stop() {
        if (started.isEmpty()) {
            return;
        }
        say("\nStopping the local stack ...");
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("stop failed: " + e.getMessage());
            }
        }
        say("Stopped.");
    }

    private static void say(String text) {
        System.out.println(text);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A Quarkus application run from its fast-jar as a child JVM, with output to a log file. */
    static final class ChildService implements AutoCloseable {
        private final String name;
        private final Process process;
        private final int port;
        private final Path log;
        private final ProcessReaper reaper;

        private ChildService(String name, Process process, int port, Path log, ProcessReaper reaper) {
            this.name = name;
            this.process = process;
            this.port = port;
            this.log = log;
            this.reaper = reaper;
        }

        static ChildService start(String name, Path jar, int port, Map<String, String> env, Path logs,
                ProcessReaper reaper) throws IOException {
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build first (./mvnw -B install -DskipTests)");
            }
            Path log = logs.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-Dquarkus.http.port=" + port, "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            reaper.watch(name, process.pid());
            return new ChildService(name, process, port, log, reaper);
        }

        void awaitReady(Duration timeout) throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            URI health = URI.create("http://localhost:" + port + "/q/health/ready");
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited; see " + log);
                }
                try {
                    HttpResponse<Void> response = client.send(HttpRequest.newBuilder(health).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
        }

        @Override
        public void close() {
            ProcessReaper.terminate(process.pid(), 60);
            reaper.forget(process.pid());
        }
    }
}

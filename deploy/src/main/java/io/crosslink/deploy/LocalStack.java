package io.crosslink.deploy;

import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.infra.CrosslinkPaths;
import io.crosslink.infra.KafkaBroker;
import io.crosslink.infra.PostgresServer;
import io.crosslink.infra.ProcessReaper;
import io.crosslink.infra.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Starts the whole local stack (Kafka, PostgreSQL, cloud-sim with its real Elasticsearch deployments, and
 * the four services), prints where everything is and a request to try, and stops it all on Ctrl-C. Every
 * process it starts is watched by a reaper, so even a killed launcher leaves nothing behind.
 *
 * <p>cloud-sim (the slow part: three Elasticsearch nodes) starts first, Kafka and PostgreSQL beside it; the
 * services start together once all three are up, with a data key generated for this run.
 */
public final class LocalStack {
    static final String KAFKA_HOST = "127.0.0.1";
    static final int KAFKA_PORT = 9092;
    static final int POSTGRES_PORT = 15432;
    static final int CLOUD_SIM_PORT = 8090;
    static final List<String> DATABASES = List.of("connect", "key", "trust", "verify");
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String REMOTE_ID = "0b5e55ed12345678abcdef0123456789";
    /** A second deployment of the ECE installation: the certificate model's same-installation case. */
    static final String PEER_ID = "bee5feed00112233445566778899aabb";

    private final Path root = CrosslinkPaths.root();
    private final Path state = root.resolve("deploy/local/.state");
    private final Path logs = state.resolve("logs");
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final ProcessReaper reaper = ProcessReaper.forStack("local");

    public static void main(String[] args) throws Exception {
        boolean clean = List.of(args).contains("--clean");
        boolean withServices = !List.of(args).contains("--no-services");
        LocalStack stack = new LocalStack();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
        try {
            stack.start(clean, withServices);
        } catch (Exception e) {
            System.err.println("\nThe local stack failed to start: " + e.getMessage());
            System.err.println("Logs: " + stack.logs);
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    /** {@code withServices} false: everything but the services, e.g. to run one from the IDE or in dev mode. */
    private void start(boolean clean, boolean withServices) throws Exception {
        long begin = System.nanoTime();
        if (clean) {
            deleteRecursively(state);
        }
        Files.createDirectories(logs);
        for (CrosslinkService service : CrosslinkService.values()) {
            if (withServices && !Files.isRegularFile(service.jar(root))) {
                throw new IllegalStateException(service.jar(root) + " is missing: run deploy/local/run.sh --rebuild");
            }
        }

        say("Starting cloud-sim and its Elasticsearch deployments (about a minute), Kafka and PostgreSQL ...");
        ServiceProcess cloudSim = ServiceProcess.builder("cloud-sim", root.resolve("cloud-sim/target/quarkus-app/quarkus-run.jar"))
                .port(CLOUD_SIM_PORT)
                .config(Map.of("sim.work-dir", state.resolve("es").toString(), "sim.stack", "local-sim"))
                .environment(Map.of("CROSSLINK_ROOT", root.toString()))
                .workDir(logs)
                .start(reaper);
        stopFirst(cloudSim);
        CompletableFuture<KafkaBroker> kafka = inBackground(
                () -> KafkaBroker.start(state.resolve("kafka"), KAFKA_HOST, KAFKA_PORT, true, reaper));
        CompletableFuture<PostgresServer> postgres = inBackground(
                () -> PostgresServer.start(state.resolve("postgres"), POSTGRES_PORT, DATABASES, true, reaper));
        KafkaBroker broker = await(kafka);
        PostgresServer database = await(postgres);
        cloudSim.awaitReady(Duration.ofMinutes(4));
        long infrastructureSeconds = seconds(begin);
        List<SimDeployment> deployments = SimDeployment.fetch(cloudSim.url());
        for (String id : List.of(LOCAL_ID, REMOTE_ID, PEER_ID)) {
            if (deployments.stream().noneMatch(d -> d.id().equals(id))) {
                throw new IllegalStateException("cloud-sim does not play the demo deployment " + id + ": " + deployments);
            }
        }
        if (!withServices) {
            say("\nKafka, PostgreSQL and cloud-sim are up in %d s (no services: --no-services). Ctrl-C stops everything.\n%s"
                    .formatted(seconds(begin), infrastructure(broker, database, deployments)));
            return;
        }

        say("Starting connect-service, key-service, trust-service and verify-service ...");
        // A signing key pair per run; connect-service accepts only tokens it signed (deploy/local/.state/tokens/).
        LocalTokens tokens = LocalTokens.issue(state, Duration.ofHours(24));
        ServiceWiring wiring = new ServiceWiring(broker.bootstrapServers(), database, "http://localhost:" + CLOUD_SIM_PORT,
                deployments, SecretBox.newDataKey()).verifyingTokensOf(tokens);
        CrosslinkServices services = CrosslinkServices.start(root, wiring, CrosslinkService::localPort, logs, reaper);
        stopFirst(services);
        services.awaitReady(Duration.ofMinutes(3));

        SimDeployment local = deployments.stream().filter(d -> d.id().equals(LOCAL_ID)).findFirst().orElseThrow();
        int connect = services.get(CrosslinkService.CONNECT).port();
        say("""

                Crosslink local stack is up in %d s (Kafka, PostgreSQL and cloud-sim %d s). Ctrl-C stops everything.
                  connect-service  http://localhost:%d   (REST API /api/v1/connections)
                  status page      http://localhost:%d/   (paste a token from deploy/local/.state/tokens/)
                  Swagger UI       http://localhost:%d/q/swagger-ui   (OpenAPI document: /q/openapi)
                  key-service      http://localhost:%d
                  trust-service    http://localhost:%d
                  verify-service   http://localhost:%d
                  metrics          http://localhost:%d/q/metrics   (Prometheus, connect-service)
                                   http://localhost:%d/q/metrics   http://localhost:%d/q/metrics   http://localhost:%d/q/metrics   (key, trust, verify)
                %s
                Every call needs a bearer token: deploy/local/.state/tokens/ holds one for team-a and team-b (requesters)
                and for platform-admin, valid 24 h, signed by this run's key. What team-a and team-b may connect is in
                deploy/local/policy.yaml (read again when it changes); platform-admin names no team: no policy applies.

                Connect "local" to "remote" as remote cluster "demo", with search access to demo-*, as team-a:

                  curl -i -X POST localhost:%d/api/v1/connections -H "Authorization: Bearer $(cat deploy/local/.state/tokens/team-a.jwt)" -H 'Content-Type: application/json' -d '{"alias":"demo","securityModel":"api_key","local":{"environment":"ece","deploymentId":"%s"},"remote":{"environment":"ess","deploymentId":"%s"},"access":{"search":[{"names":["demo-*"]}]}}'

                Follow it (the id is in the answer and its Location header) until "status":"VERIFIED":

                  curl -s localhost:%d/api/v1/connections/<id> -H "Authorization: Bearer $(cat deploy/local/.state/tokens/team-a.jwt)"

                Then search the remote's documents from the local deployment:

                  curl -s -u '%s:%s' '%s/demo:demo-index/_search?pretty'

                Or connect "local" to "peer" (same ECE installation) in the TLS-certificate model, registered through
                ECE's remote-clusters API, and search "peer:demo-index" the same way once it is VERIFIED:

                  curl -i -X POST localhost:%d/api/v1/connections -H "Authorization: Bearer $(cat deploy/local/.state/tokens/team-a.jwt)" -H 'Content-Type: application/json' -d '{"alias":"peer","securityModel":"tls_certificate","registration":"ece_remote_clusters","local":{"environment":"ece","deploymentId":"%s"},"remote":{"environment":"ece","deploymentId":"%s"}}'
                """.formatted(seconds(begin), infrastructureSeconds, connect, connect, connect,
                services.get(CrosslinkService.KEY).port(),
                services.get(CrosslinkService.TRUST).port(), services.get(CrosslinkService.VERIFY).port(),
                services.get(CrosslinkService.CONNECT).managementPort(), services.get(CrosslinkService.KEY).managementPort(),
                services.get(CrosslinkService.TRUST).managementPort(), services.get(CrosslinkService.VERIFY).managementPort(),
                infrastructure(broker, database, deployments), connect, LOCAL_ID, REMOTE_ID, connect, local.username(),
                local.password(), local.serviceUrl(), connect, LOCAL_ID, PEER_ID));
    }

    private String infrastructure(KafkaBroker broker, PostgresServer database, List<SimDeployment> deployments) {
        StringBuilder lines = new StringBuilder();
        for (SimDeployment deployment : deployments) {
            lines.append("                   %-7s %-4s %s  %s%n".formatted(deployment.name(), deployment.environment(),
                    deployment.id(), deployment.serviceUrl()));
        }
        return """
                  Kafka            %s
                  PostgreSQL       127.0.0.1:%d  (databases %s, user postgres / postgres)
                  cloud-sim        http://localhost:%d/api/v1   (ECE key: ece-dev-api-key, Elastic Cloud key: ess-dev-api-key)
                  deployments      curl -s http://localhost:%d/sim/deployments   (service_url and superuser of each node)
                %s  logs             %s
                """.formatted(broker.bootstrapServers(), database.port(), DATABASES, CLOUD_SIM_PORT, CLOUD_SIM_PORT,
                lines, logs);
    }

    /** Stops the services first (they still reach Kafka and PostgreSQL while they shut down), then the rest. */
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

    /** Stopped before everything registered so far (services before cloud-sim before Kafka and PostgreSQL). */
    private synchronized void stopFirst(AutoCloseable process) {
        started.addFirst(process);
    }

    private synchronized void stopLast(AutoCloseable process) {
        started.addLast(process);
    }

    private interface Start<T> {
        T start() throws IOException;
    }

    /** Starts a server in the background; it is registered for the stop as soon as it is up. */
    private <T extends AutoCloseable> CompletableFuture<T> inBackground(Start<T> start) {
        return CompletableFuture.supplyAsync((Supplier<T>) () -> {
            try {
                T server = start.start();
                stopLast(server);
                return server;
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
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
}

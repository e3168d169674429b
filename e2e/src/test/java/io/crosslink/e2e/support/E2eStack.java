package io.crosslink.e2e.support;

import io.crosslink.deploy.CrosslinkService;
import io.crosslink.deploy.CrosslinkServices;
import io.crosslink.deploy.KafkaGroupProtocol;
import io.crosslink.deploy.LocalTokens;
import io.crosslink.deploy.SagaTimings;
import io.crosslink.deploy.ServiceWiring;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.infra.CrosslinkPaths;
import io.crosslink.infra.KafkaBroker;
import io.crosslink.infra.PostgresServer;
import io.crosslink.infra.ProcessReaper;
import io.crosslink.infra.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * Everything the end-to-end tests run against, started once per test JVM: a real Kafka broker and
 * PostgreSQL (databases connect, key, trust, verify), cloud-sim as a process with its three real
 * Elasticsearch deployments (the demo ids, "local" on 127.0.22.1, "remote" on 127.0.22.2 and "peer", local's
 * ECE installation again, on 127.0.22.3), and the four
 * services as processes wired exactly as {@code deploy/local/run.sh} wires them ({@link ServiceWiring}), on
 * free ports, with one data key generated for the run (a scenario may rotate it: {@link #restartWithDataKeys}).
 *
 * <p>cloud-sim reloads keystores {@value #DEFAULT_RELOAD_DELAY_SECONDS} s late (as Elastic Cloud does,
 * asynchronously), so every verification in the suite has to cope with a first attempt that runs without
 * credentials. System properties: {@code crosslink.e2e.services=false} starts everything but the services
 * (scenarios are then skipped); {@code crosslink.e2e.keystore-reload-delay-seconds} changes the delay.
 */
public final class E2eStack implements AutoCloseable {
    public static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    public static final String REMOTE_ID = "0b5e55ed12345678abcdef0123456789";
    /** A second deployment of local's ECE installation (same account): the certificate model's same-installation peer. */
    public static final String PEER_ID = "bee5feed00112233445566778899aabb";
    public static final String LOCAL_ADDRESS = "127.0.22.1";
    public static final String REMOTE_ADDRESS = "127.0.22.2";
    public static final String PEER_ADDRESS = "127.0.22.3";
    public static final String SEED_INDEX = "demo-index";
    public static final List<String> DATABASES = List.of("connect", "key", "trust", "verify");
    static final int DEFAULT_RELOAD_DELAY_SECONDS = 4;
    /**
     * The saga's deadline exceeds a normal saga under load (about 20 s on a small machine), verify-service's
     * deadline, and the sagas that must still succeed against it: with a service killed and restarted (about 25 s)
     * and under transient faults, usually 25-40 s but over 60 s when the key creation, the one call retried only as
     * a whole attempt with backoff, meets half a dozen 503s in a row (seen once); consumers' sessions are short so a killed service's partitions move to its restarted instance in
     * seconds rather than Kafka's default 45 s. The group protocol is the stacks' default (classic, cooperative-sticky);
     * {@code -Dcrosslink.e2e.group-protocol=consumer} runs the suite on KIP-848's (its 8 s session is then a group config,
     * which the broker must allow: see {@code ServiceWiring#consumerGroupConfigs}).
     */
    public static final SagaTimings TIMINGS = new SagaTimings(Duration.ofSeconds(90), Duration.ofSeconds(15),
            sessionTimeout()).withGroupProtocol(KafkaGroupProtocol.parse(System.getProperty("crosslink.e2e.group-protocol",
                    KafkaGroupProtocol.DEFAULT.option()))).withUndoDeadline(UndoDeadline.VALUE);
    /**
     * One run of the undo chain may take 100 s here instead of 15 min: with the undo report margin of 60 s an undo
     * whose outcome stays unknown retries for 40 s, then reads and reports ({@code UndoTruthTest}); every other undo
     * of the suite ends in seconds, even DeadlineTest's, whose trust-service is back within a few.
     */
    public static final Duration UNDO_DEADLINE = UndoDeadline.VALUE;
    private static final Duration CLOUD_SIM_START = Duration.ofMinutes(5);
    private static final Duration SERVICES_START = Duration.ofMinutes(3);

    private LocalTokens tokens;
    private final Path workDir;
    private final ProcessReaper reaper;
    private final Duration keystoreReloadDelay;
    /** Every data key of the run, the newest first: the first is generated at start, rotations add theirs. */
    private final List<String> dataKeys = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(SecretBox.newDataKey()));
    /** Kafka and PostgreSQL, started or starting: each is stopped once it is up. */
    private final List<CompletableFuture<? extends AutoCloseable>> infrastructure = new ArrayList<>();
    private ServiceProcess cloudSim;
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private List<SimDeployment> deployments;
    private ServiceWiring wiring;
    /** Where every service exports its spans (TraceTest reads them). */
    private TraceReceiver traces;
    private CrosslinkServices services;
    /** The second instance of every service, while a scenario runs them ({@link #startReplicas}). */
    private CrosslinkServices replicas;

    private E2eStack(Path workDir, Duration keystoreReloadDelay) {
        this.workDir = workDir;
        this.keystoreReloadDelay = keystoreReloadDelay;
        this.reaper = ProcessReaper.forStack("e2e");
    }

    /**
     * 8 s, or {@code -Dcrosslink.e2e.kafka-session-seconds=N} (0: the default of the client, or of the broker with the
     * consumer protocol: 45 s), to measure the takeover of {@code ReplicasTest} with other sessions.
     */
    private static Duration sessionTimeout() {
        long seconds = Long.getLong("crosslink.e2e.kafka-session-seconds", 8);
        return seconds == 0 ? null : Duration.ofSeconds(seconds);
    }

    /**
     * The Elasticsearch version of a demo deployment ({@code local}, {@code remote}, {@code peer}):
     * {@code -Dcrosslink.e2e.es.<deployment>=<version, or oldest|default|newest of the matrix>} (the version matrix
     * runs mixed pairs so), else {@code -Delasticsearch.version}, else the build's default.
     */
    static String elasticsearchVersion(String deployment) {
        CrosslinkPaths.ElasticsearchVersions versions = CrosslinkPaths.elasticsearchVersions();
        String chosen = System.getProperty("crosslink.e2e.es." + deployment, "");
        return chosen.isBlank() ? System.getProperty("elasticsearch.version", versions.defaultVersion()) : versions.resolve(chosen);
    }

    /** Starts the stack (see the class comment); whatever started is stopped again when a part fails. */
    public static E2eStack start() {
        boolean withServices = Boolean.parseBoolean(System.getProperty("crosslink.e2e.services", "true"));
        Duration delay = Duration.ofSeconds(Long.getLong("crosslink.e2e.keystore-reload-delay-seconds",
                DEFAULT_RELOAD_DELAY_SECONDS));
        E2eStack stack = new E2eStack(Path.of("target", "e2e").toAbsolutePath(), delay);
        try {
            stack.startAll(withServices);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(boolean withServices) {
        long begin = System.nanoTime();
        deleteRecursively(workDir);
        Path root = CrosslinkPaths.root();
        // cloud-sim first: its Elasticsearch nodes are the slow part; Kafka and PostgreSQL start beside it.
        cloudSim = ServiceProcess.builder("cloud-sim", root.resolve("cloud-sim/target/quarkus-app/quarkus-run.jar"))
                .config(Map.of(
                        "sim.stack", "e2e-sim",
                        "sim.work-dir", workDir.resolve("sim").toString(),
                        "sim.keystore-reload-delay", keystoreReloadDelay.toSeconds() + "s",
                        "sim.deployments.local.address", LOCAL_ADDRESS,
                        "sim.deployments.remote.address", REMOTE_ADDRESS,
                        "sim.deployments.peer.address", PEER_ADDRESS,
                        "sim.deployments.local.version", elasticsearchVersion("local"),
                        "sim.deployments.remote.version", elasticsearchVersion("remote"),
                        "sim.deployments.peer.version", elasticsearchVersion("peer")))
                .environment(Map.of("CROSSLINK_ROOT", root.toString()))
                .workDir(workDir.resolve("logs"))
                .start(reaper);
        CompletableFuture<KafkaBroker> kafkaStart = inBackground(() -> KafkaBroker.start(workDir.resolve("kafka"),
                "127.0.0.1", 0, false, reaper));
        CompletableFuture<PostgresServer> postgresStart = inBackground(() -> PostgresServer.start(
                workDir.resolve("postgres").resolve("data"), 0, DATABASES, false, reaper));
        kafka = join(kafkaStart);
        postgres = join(postgresStart);
        long infrastructureUp = System.nanoTime();
        cloudSim.awaitReady(CLOUD_SIM_START);
        long cloudSimUp = System.nanoTime();
        deployments = SimDeployment.fetch(cloudSim.url());
        deployment(LOCAL_ID);
        deployment(REMOTE_ID);
        deployment(PEER_ID);
        if (withServices) {
            // The stack's own token issuer: connect-service accepts its tokens only; the tests call as its admin.
            try {
                tokens = LocalTokens.issue(workDir.resolve("tokens"), Duration.ofHours(12));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot write the stack's tokens", e);
            }
            ConnectService.useAdminToken(tokens.token("platform-admin"));
            wiring = new ServiceWiring(kafka.bootstrapServers(), postgres, cloudSim.url(), deployments, dataKeys.get(0), TIMINGS)
                    .verifyingTokensOf(tokens)
                    .withConfig(traceExport());
            // The consumer protocol's session is the group's, on the broker: set before any member joins.
            try (ConsumerGroups groups = new ConsumerGroups(kafka.bootstrapServers())) {
                groups.configure(wiring.consumerGroupConfigs());
            }
            services = CrosslinkServices.start(root, wiring, service -> 0, workDir.resolve("logs"), reaper);
            services.awaitReady(SERVICES_START);
        }
        long end = System.nanoTime();
        System.out.printf("e2e stack up in %.1f s: Kafka and PostgreSQL %.1f s, cloud-sim with %d Elasticsearch nodes %.1f s, "
                + "%s; keystore reload delay %d s; saga deadline %d s, verification deadline %d s; Kafka group protocol %s, "
                + "session %s; logs in %s%n",
                seconds(begin, end), seconds(begin, infrastructureUp), deployments.size(), seconds(begin, cloudSimUp),
                withServices ? String.format("4 services %.1f s more", seconds(cloudSimUp, end)) : "services not started",
                keystoreReloadDelay.toSeconds(), TIMINGS.sagaDeadline().toSeconds(), TIMINGS.verifyDeadline().toSeconds(),
                TIMINGS.groupProtocol().option(), TIMINGS.kafkaSessionTimeout() == null ? "the default (45 s)"
                        : TIMINGS.kafkaSessionTimeout().toSeconds() + " s", workDir.resolve("logs"));
    }

    /**
     * Every service exports its spans to the stack's OTLP receiver, over http/protobuf, within 200 ms of their end (the
     * default batch delay is 5 s), so a test sees a saga's trace soon after it ends.
     */
    private Map<String, String> traceExport() {
        traces = TraceReceiver.start();
        return Map.of(
                "quarkus.otel.exporter.otlp.traces.endpoint", traces.endpoint(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "200ms");
    }

    /** The spans the services exported (started with the services). */
    public TraceReceiver traces() {
        if (traces == null) {
            throw new IllegalStateException("the services were not started (crosslink.e2e.services=false)");
        }
        return traces;
    }

    public boolean servicesRunning() {
        return services != null;
    }

    public ServiceProcess service(CrosslinkService service) {
        if (services == null) {
            throw new IllegalStateException("the services were not started (crosslink.e2e.services=false)");
        }
        return services.get(service);
    }

    /**
     * Starts a second instance of every service (same wiring: one consumer group and one database per service; its own
     * HTTP port, config and log file, e.g. {@code key-service-2.log}) and waits until all four are ready.
     */
    public synchronized void startReplicas() {
        if (replicas != null) {
            throw new IllegalStateException("the replicas run already");
        }
        service(CrosslinkService.CONNECT); // the services run
        replicas = CrosslinkServices.start(CrosslinkPaths.root(), wiring, 1, 1, (service, instance) -> 0, workDir.resolve("logs"),
                reaper);
        try {
            replicas.awaitReady(SERVICES_START);
        } catch (RuntimeException e) {
            stopReplicas();
            throw e;
        }
    }

    /** The second instance of the service ({@link #startReplicas}). */
    public synchronized ServiceProcess replica(CrosslinkService service) {
        if (replicas == null) {
            throw new IllegalStateException("no replicas run");
        }
        return replicas.get(service);
    }

    /** Stops the second instances (SIGTERM; they leave their groups), so later scenarios run with one instance again. */
    public synchronized void stopReplicas() {
        if (replicas != null) {
            replicas.close();
            replicas = null;
        }
    }

    /** Kills the service with SIGKILL (a crash: no shutdown hook, no commit, no publish). */
    public void kill(CrosslinkService service) {
        service(service).kill();
    }

    /** Starts the service again (same configuration and port) and waits until it is ready. */
    public void restart(CrosslinkService service) {
        ServiceProcess process = service(service);
        process.restart();
        process.awaitReady(SERVICES_START);
    }

    /**
     * A step of a data-key rotation: restarts the service (gracefully) with the keyring {@code ring}
     * ({@code crosslink.secrets.data-keys}, the sealing key first), which it keeps for later restarts and which a
     * replica started later gets too, and waits until it is ready. Keys not seen before count as the run's.
     */
    public synchronized void restartWithDataKeys(CrosslinkService service, List<String> ring) {
        String keyring = String.join(",", ring);
        SecretBox.fromBase64(keyring); // a valid ring, or fail here rather than in the service's log
        for (int i = ring.size() - 1; i >= 0; i--) {
            if (!dataKeys.contains(ring.get(i))) {
                dataKeys.add(0, ring.get(i));
            }
        }
        wiring = wiring.withDataKeys(keyring);
        ServiceProcess process = service(service);
        process.restart(Map.of("crosslink.secrets.data-keys", keyring));
        process.awaitReady(SERVICES_START);
    }

    /** Restarts the service if it is not running (a test that killed it and failed before restarting it). */
    public void ensureRunning(CrosslinkService service) {
        if (services != null && !service(service).isAlive()) {
            restart(service);
        }
    }

    /** connect-service's base URL. */
    public String connectUrl() {
        return service(CrosslinkService.CONNECT).url();
    }

    public String cloudApiUrl() {
        return cloudSim.url();
    }

    public ServiceProcess cloudSim() {
        return cloudSim;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /**
     * Every base64 data key of this run, comma-separated, the newest first: a keyring that opens whatever key-service
     * sealed in the run, rotations included ({@code SecretBox.fromBase64} takes it). Each key alone: {@link #dataKeys}.
     */
    public String dataKey() {
        return String.join(",", dataKeys);
    }

    /** Every base64 data key of this run, the newest first (one, unless a scenario rotated the key). */
    public List<String> dataKeys() {
        return List.copyOf(dataKeys);
    }

    public Duration keystoreReloadDelay() {
        return keystoreReloadDelay;
    }

    public List<SimDeployment> deployments() {
        return deployments;
    }

    public SimDeployment deployment(String id) {
        return deployments.stream().filter(d -> d.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("cloud-sim has no deployment " + id + ": " + deployments));
    }

    /** Services first (they still reach Kafka and PostgreSQL while stopping), then cloud-sim, then the rest. */
    @Override
    public void close() {
        long begin = System.nanoTime();
        stopReplicas();
        if (services != null) {
            services.close();
        }
        if (cloudSim != null) {
            cloudSim.stop();
        }
        if (traces != null) {
            traces.close();
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (CompletableFuture<? extends AutoCloseable> server : infrastructure) {
            stops.add(server.handle((started, failure) -> {
                if (started != null) {
                    try {
                        started.close();
                    } catch (Exception e) {
                        System.err.println("stopping " + started + " failed: " + e);
                    }
                }
                return null;
            }));
        }
        stops.forEach(CompletableFuture::join);
        System.out.printf("e2e stack stopped in %.1f s%n", seconds(begin, System.nanoTime()));
    }

    private interface Start<T> {
        T start() throws IOException;
    }

    private <T extends AutoCloseable> CompletableFuture<T> inBackground(Start<T> start) {
        CompletableFuture<T> future = CompletableFuture.supplyAsync(() -> {
            try {
                return start.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        infrastructure.add(future);
        return future;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = Optional.ofNullable(e.getCause()).orElse(e);
            throw new IllegalStateException("e2e stack did not start: " + cause.getMessage(), cause);
        }
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + dir, e);
        }
    }

    /** The stack's tokens ({@code team-a}, {@code team-b}, {@code platform-admin}); null without services. */
    public LocalTokens tokens() {
        return tokens;
    }

    /** Holder, so TIMINGS can use the value before the constant below it is initialized. */
    private static final class UndoDeadline {
        static final Duration VALUE = Duration.ofSeconds(100);
    }
}

package io.crosslink.bench;

import io.crosslink.deploy.CrosslinkService;
import io.crosslink.deploy.CrosslinkServices;
import io.crosslink.deploy.LocalTokens;
import io.crosslink.deploy.SagaTimings;
import io.crosslink.deploy.ServiceWiring;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.infra.KafkaBroker;
import io.crosslink.infra.PostgresServer;
import io.crosslink.infra.ProcessReaper;
import io.crosslink.infra.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The stack under test: started here exactly as deploy/local/run.sh starts it (same ports, same cloud-sim
 * deployments, same service wiring; state under the bench's own directory, Kafka and PostgreSQL fresh each run), or
 * one already running ({@code --use-running}), whose processes are found by their command lines under its state dir.
 */
final class BenchStack implements AutoCloseable {
    static final String KAFKA_HOST = "127.0.0.1";
    static final int KAFKA_PORT = 9092;
    static final int POSTGRES_PORT = 15432;
    static final int CLOUD_SIM_PORT = 8090;
    static final List<String> DATABASES = List.of("connect", "key", "trust", "verify");
    static final List<String> CHAOS_TARGETS = List.of("connect-service", "key-service", "trust-service", "verify-service", "kafka");

    private final Path stateDir;
    private final boolean owned;
    private final ProcessReaper reaper;
    private ServiceProcess cloudSim;
    private volatile KafkaBroker broker;
    private PostgresServer postgres;
    private CrosslinkServices services;
    private final Map<String, Long> startupMs = new LinkedHashMap<>();
    private boolean closed;

    private BenchStack(Path stateDir, boolean owned) {
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.owned = owned;
        this.reaper = owned ? ProcessReaper.forStack("bench") : null;
    }

    /**
     * The administrator's bearer token for connect-service: written by this stack, or by {@code deploy/local/run.sh}
     * for a stack it measures ({@code --use-running}).
     */
    String adminToken() throws IOException {
        return Files.readString(stateDir.resolve("tokens").resolve("platform-admin.jwt")).trim();
    }

    static BenchStack useRunning(Path stateDir) {
        return new BenchStack(stateDir, false);
    }

    /**
     * Starts everything, with {@code replicas} instances of every service (ports 8080…8083, then 8180…8183, …);
     * {@code timings} go to the services (e.g. a shorter Kafka session for chaos, the group protocol).
     */
    static BenchStack start(Path root, Path stateDir, SagaTimings timings, int replicas) throws IOException {
        BenchStack stack = new BenchStack(stateDir, true);
        try {
            stack.launch(root, timings, replicas);
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void launch(Path root, SagaTimings timings, int replicas) throws IOException {
        Path logs = stateDir.resolve("logs");
        Files.createDirectories(logs);
        say("Starting cloud-sim and its Elasticsearch deployments, Kafka and PostgreSQL (state " + stateDir + ") ...");
        cloudSim = ServiceProcess.builder("cloud-sim", root.resolve("cloud-sim/target/quarkus-app/quarkus-run.jar"))
                .port(CLOUD_SIM_PORT)
                .config(Map.of("sim.work-dir", stateDir.resolve("es").toString(), "sim.stack", "bench-sim"))
                .environment(Map.of("CROSSLINK_ROOT", root.toString()))
                .workDir(logs)
                .start(reaper);
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> unchecked(
                () -> KafkaBroker.start(stateDir.resolve("kafka"), KAFKA_HOST, KAFKA_PORT, false, reaper)));
        CompletableFuture<PostgresServer> database = CompletableFuture.supplyAsync(() -> unchecked(
                () -> PostgresServer.start(stateDir.resolve("postgres"), POSTGRES_PORT, DATABASES, false, reaper)));
        broker = kafka.join();
        postgres = database.join();
        cloudSim.awaitReady(Duration.ofMinutes(4));
        List<SimDeployment> deployments = SimDeployment.fetch(cloudSimUrl());

        say(replicas == 1 ? "Starting the four services ..." : "Starting " + replicas + " instances of each of the four services ...");
        // Its own token issuer, laid out as the local run's (state/tokens/<caller>.jwt): the bench calls as its admin.
        LocalTokens tokens = LocalTokens.issue(stateDir, Duration.ofHours(24));
        ServiceWiring wiring = new ServiceWiring(broker.bootstrapServers(), postgres, cloudSimUrl(), deployments,
                SecretBox.newDataKey(), timings).verifyingTokensOf(tokens);
        KafkaGroupConfigs.apply(broker.bootstrapServers(), wiring.consumerGroupConfigs());
        long begin = System.nanoTime();
        services = CrosslinkServices.start(root, wiring, 0, replicas, CrosslinkService::localPort, logs, reaper);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (CrosslinkService service : CrosslinkService.values()) {
            for (ServiceProcess process : services.instances(service)) {
                ready.add(CompletableFuture.runAsync(() -> {
                    process.awaitReady(Duration.ofMinutes(3));
                    synchronized (startupMs) {
                        // With replicas: when the service's last instance was ready.
                        startupMs.merge(service.module(), (System.nanoTime() - begin) / 1_000_000, Math::max);
                    }
                }));
            }
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        say("Stack up; services ready after " + startupMs + " ms (all " + services.processes().size() + " started together; Kafka "
                + "group protocol " + timings.groupProtocol().option() + ").");
    }

    String cloudSimUrl() {
        return "http://localhost:" + CLOUD_SIM_PORT;
    }

    boolean owned() {
        return owned;
    }

    /** connect-service's URL per instance (a running stack: its one instance). */
    List<String> connectUrls(String runningUrl) {
        return owned ? services.instances(CrosslinkService.CONNECT).stream().map(ServiceProcess::url).toList() : List.of(runningUrl);
    }

    /** Launch → ready per service (only for a stack started here). */
    Map<String, Long> startupMs() {
        return Map.copyOf(startupMs);
    }

    /** The process groups whose resources are sampled: the four services, Kafka, PostgreSQL, Elasticsearch, cloud-sim. */
    Map<String, Supplier<List<Long>>> processGroups() {
        Map<String, Supplier<List<Long>>> groups = new LinkedHashMap<>();
        for (CrosslinkService service : CrosslinkService.values()) {
            // Summed over the service's instances.
            groups.put(service.module(), () -> owned ? services.instances(service).stream().map(ServiceProcess::pid).toList()
                    : find(service.module() + ".properties", "quarkus.config.locations"));
        }
        groups.put("kafka", () -> owned ? List.of(broker.pid()) : find("io.crosslink.kafka.BrokerMain"));
        groups.put("postgresql", () -> ResourceSampler.withDescendants(owned ? List.of(postgres.pid()) : find("postgres", "-D")));
        groups.put("elasticsearch (2 nodes)", () -> ResourceSampler.withDescendants(elasticsearchPids()));
        // With its children: the short-lived elasticsearch-keystore JVMs of every keystore change.
        groups.put("cloud-sim", () -> ResourceSampler.withDescendants(List.of(cloudSimPid())));
        return groups;
    }

    private long cloudSimPid() {
        if (owned) {
            return cloudSim.pid();
        }
        return find("cloud-sim.properties", "quarkus.config.locations").stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no cloud-sim process under " + stateDir));
    }

    /** The nodes daemonize (not cloud-sim's children): found by their command line, whose GC log lies in the state dir. */
    private List<Long> elasticsearchPids() {
        return find("org.elasticsearch.bootstrap.Elasticsearch");
    }

    /**
     * kill -9 of one chaos target (of a service: its {@code instance}-th instance, modulo the instances), then (after
     * {@code down}) its restart; returns the ms from restart to ready.
     */
    long killAndRestart(String target, int instance, Duration down) throws IOException, InterruptedException {
        if (!owned) {
            throw new IllegalStateException("chaos needs a stack started by the harness (not --use-running)");
        }
        if (target.equals("kafka")) {
            KafkaBroker old = broker;
            ProcessHandle handle = ProcessHandle.of(old.pid()).orElseThrow();
            handle.destroyForcibly();
            handle.onExit().join();
            reaper.forget(old.pid());
            Thread.sleep(down.toMillis());
            long begin = System.nanoTime();
            broker = KafkaBroker.start(stateDir.resolve("kafka"), KAFKA_HOST, KAFKA_PORT, true, reaper);
            old.stop(); // the dead one: only forgets it
            return (System.nanoTime() - begin) / 1_000_000;
        }
        List<ServiceProcess> instances = java.util.Arrays.stream(CrosslinkService.values()).filter(s -> s.module().equals(target))
                .map(services::instances).findFirst().orElseThrow(() -> new IllegalArgumentException("unknown target " + target));
        ServiceProcess process = instances.get(Math.floorMod(instance, instances.size()));
        process.kill();
        Thread.sleep(down.toMillis());
        long begin = System.nanoTime();
        process.restart();
        process.awaitReady(Duration.ofMinutes(3));
        return (System.nanoTime() - begin) / 1_000_000;
    }

    /** Pids whose command line contains every one of {@code parts} and the stack's state dir. */
    private List<Long> find(String... parts) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                long pid = Long.parseLong(p.getFileName().toString());
                String command = commandLine(pid);
                if (command.contains(stateDir.toString()) && Stream.of(parts).allMatch(command::contains)) {
                    pids.add(pid);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public synchronized void close() {
        if (!owned || closed) {
            return;
        }
        closed = true;
        say("Stopping the bench stack ...");
        for (AutoCloseable part : new AutoCloseable[] {services, cloudSim, broker, postgres}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    System.err.println("stop failed: " + e.getMessage());
                }
            }
        }
    }

    private interface Start<T> {
        T start() throws IOException;
    }

    private static <T> T unchecked(Start<T> start) {
        try {
            return start.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void say(String text) {
        System.out.println(text);
        System.out.flush();
    }
}

package io.crosslink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.deploy.SagaTimings;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.infra.CrosslinkPaths;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The benchmark and chaos harness (deploy/bench/run.sh): the baseline (the saga's Elastic calls made directly), then
 * the saga through the REST API, in waves, with resources sampled; invariants checked against the real Elastic
 * state after each wave and after its cleanup; a JSON and Markdown report. Exit status 1 when an invariant fails.
 */
public final class Bench {
    static final List<String> STEP_EVENTS = List.of("ConnectionRequested", "KeyCreated", "KeystoreUpdated", "RemoteConnected",
            "ConnectionVerified");
    static final List<String> STEPS = List.of("validate", "create_key", "update_keystore", "register_remote", "verify");
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String REMOTE_ID = "0b5e55ed12345678abcdef0123456789";
    /** The deployment --slow-deployment slows down (ECE, like L; its own node). */
    static final String PEER_ID = "bee5feed00112233445566778899aabb";
    /** --slow-deployment's goal: the others' p50 at most this many times the p50 without the slow deployment. */
    static final double SLOW_DEPLOYMENT_GOAL = 1.3;

    private final Options options;
    private final BenchStack stack;
    private final Elastic elastic;
    /** The peer deployment's state (with R), read for --slow-deployment's own connection; null without that option. */
    private final Elastic peerElastic;
    private final String runTag;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<Invariants.Check> invariants = new ArrayList<>();
    /** The slow deployment's own connection's checks (--slow-deployment), reported after the waves'. */
    private final List<Invariants.Check> slowChecks = new ArrayList<>();
    private volatile boolean burstActive;
    /** The status stream of each connect-service instance (--follow stream); empty when polling. */
    private final Map<String, StatusFeed> feeds = new ConcurrentHashMap<>();
    /** How often the client reads a document it follows: without a stream, and besides one. */
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration FALLBACK_POLL = Duration.ofSeconds(2);
    /** Remotes Elasticsearch lost after registration and that were registered again: by the baseline, by the saga. */
    private final AtomicInteger baselineRepairs = new AtomicInteger();
    private final AtomicInteger sagaRepairs = new AtomicInteger();
    /** connect-service per instance: connection i's requests all go to instance i mod their number. */
    private final List<String> connectUrls;
    private String latencyFaultId;
    private String adminToken;

    private Bench(Options options, BenchStack stack, Elastic elastic, Elastic peerElastic) {
        this.options = options;
        this.stack = stack;
        this.elastic = elastic;
        this.peerElastic = peerElastic;
        this.runTag = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
        this.connectUrls = stack.connectUrls(options.connectUrl());
    }

    /** The connect-service of connection {@code i} (POST, its polls and DELETE): the REST load spread over the instances. */
    private String connectUrl(int i) {
        return connectUrls.get(Math.floorMod(i, connectUrls.size()));
    }

    public static void main(String[] args) throws Exception {
        java.nio.file.Path root = CrosslinkPaths.root();
        Options options;
        try {
            options = Options.parse(args, root);
        } catch (IllegalArgumentException e) {
            System.err.println((e.getMessage().isEmpty() ? "" : e.getMessage() + "\n\n") + Options.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        BenchStack stack = options.useRunning() ? BenchStack.useRunning(options.stateDir())
                : BenchStack.start(root, options.stateDir(), new SagaTimings(null, null,
                        options.kafkaSessionTimeoutSeconds() == 0 ? null : Duration.ofSeconds(options.kafkaSessionTimeoutSeconds()),
                        options.groupProtocol()), options.replicas());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bench-stop"));
        Report report;
        try {
            List<SimDeployment> deployments = SimDeployment.fetch(stack.cloudSimUrl());
            SimDeployment local = deployments.stream().filter(d -> d.id().equals(LOCAL_ID)).findFirst().orElseThrow();
            SimDeployment remote = deployments.stream().filter(d -> d.id().equals(REMOTE_ID)).findFirst().orElseThrow();
            Elastic peer = !options.slowDeployment() ? null : new Elastic(stack.cloudSimUrl(),
                    deployments.stream().filter(d -> d.id().equals(PEER_ID)).findFirst().orElseThrow(), remote, 9443);
            report = new Bench(options, stack, new Elastic(stack.cloudSimUrl(), local, remote, 9443), peer).run();
        } finally {
            stack.close();
        }
        report.write(options.out());
        System.out.println();
        System.out.println(report.toMarkdown());
        System.out.println("Report: " + options.out().resolve("report.json") + " and report.md");
        System.exit(report.invariantsOk() ? 0 : 1);
    }

    /** How long the idle CPU rate is sampled before the warm-up. */
    private static final int IDLE_SECONDS = 20;

    /** Crosslink's own processes: the services, Kafka and PostgreSQL (not the Elasticsearch nodes and cloud-sim it drives). */
    static java.util.Set<String> crosslinkGroups(java.util.Set<String> groups) {
        return groups.stream().filter(name -> !name.startsWith("elasticsearch") && !name.equals("cloud-sim"))
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private Report run() throws Exception {
        Map<String, Supplier<List<Long>>> groups = stack.processGroups();
        pin(groups);
        // Idle: the stack has just started (or runs with nothing to do); let it settle.
        Thread.sleep(stack.owned() ? 5000 : 0);
        Map<String, Report.Startup> startup = new LinkedHashMap<>();
        groups.forEach((name, pids) -> {
            Long ms = stack.startupMs().get(name);
            startup.put(name, new Report.Startup(ms, ResourceSampler.rssMb(pids.get())));
        });
        List<Integer> all = IntStream.range(0, options.connections()).boxed().toList();
        List<List<Integer>> waves = new ArrayList<>();
        for (int i = 0; i < all.size(); i += options.wave()) {
            waves.add(all.subList(i, Math.min(all.size(), i + options.wave())));
        }
        Workload workload = new Workload(options.concurrency(), options.rate(), options.seed());
        latencyFaultId = options.latencyMs() > 0 ? injectLatency() : null;
        try (ResourceSampler sampler = new ResourceSampler(groups, 500).start()) {
            Map<String, List<Long>> baselineSteps = steps();
            List<Long> baselineLatency = Collections.synchronizedList(new ArrayList<>());
            List<String> baselineFailures = new CopyOnWriteArrayList<>();
            SagaRun sagaRun = new SagaRun();
            List<Report.ChaosEvent> chaosEvents = new CopyOnWriteArrayList<>();
            long baselineMillis = 0;

            // Idle rate first (nothing asked of the stack), so the CPU per saga can be given net of it.
            if (options.followStream()) {
                openFeeds();
            }
            sampler.phase("idle");
            Thread.sleep(IDLE_SECONDS * 1000L);
            // Warm-up (not counted): --warmup connections each way, as the waves run them, so neither side is measured
            // cold. One was not enough: the services' code paths are compiled and their caches filled over the first
            // dozens of sagas (CPU per saga 534 ms over 20 connections after one warm-up, 362 ms over 100).
            sampler.phase("warm-up");
            List<Integer> warm = IntStream.range(options.connections(), options.connections() + options.warmup()).boxed().toList();
            BenchStack.say("Warm-up: " + warm.size() + " baseline and " + warm.size() + " saga connections (not counted) ...");
            if (!warm.isEmpty()) {
                warmUp(warm, workload);
            }

            Thread chaos = options.chaos() ? startChaos(chaosEvents) : null;
            int waveNumber = 0;
            // Baseline and saga waves alternate, so both see the same machine (warmth, data, background work).
            for (List<Integer> wave : waves) {
                waveNumber++;
                if (waveNumber > 1) {
                    pin(groups); // what the chaos mode restarted
                }
                if (!options.skipBaseline()) {
                    Map<Integer, String[]> made = new ConcurrentHashMap<>();
                    sampler.phase("baseline");
                    baselineMillis += workload.run(wave, i -> baseline(i, made, baselineSteps, baselineLatency, baselineFailures));
                    sampler.phase("cleanup");
                    workload.run(wave, i -> baselineCleanup(i, made.get(i), baselineFailures));
                }
                sagaWave(wave, workload, sampler, "saga", sagaRun);
                BenchStack.say(String.format("wave %d/%d: baseline %d ok so far, saga %s so far", waveNumber, waves.size(),
                        baselineLatency.size(), sagaRun.statuses));
            }
            if (chaos != null) {
                chaos.interrupt();
                chaos.join(Duration.ofMinutes(4).toMillis());
            }
            Report.Series saga = sagaRun.series(options.connections());
            SagaRun beside = new SagaRun();
            Report.SlowDeployment slow = options.slowDeployment() ? slowDeployment(waves, workload, sampler, saga, beside) : null;
            sampler.phase("other");
            int baselineErrors = baselineFailures.size();
            errors.addAll(baselineFailures);
            if (!options.skipBaseline()) {
                ElasticSnapshot after = elastic.snapshot();
                List<String> left = new ArrayList<>();
                for (int i = 0; i < options.connections() + options.warmup(); i++) {
                    String alias = alias("base", i);
                    if (after.localKeystoreEntries().contains(ElasticSnapshot.credentialsEntry(alias))
                            || after.localRemoteSettingAliases().contains(alias) || after.localRemoteConnected().containsKey(alias)) {
                        left.add(alias);
                    }
                }
                invariants.add(new Invariants.Check("baseline cleaned up after itself", left.isEmpty(), left));
            }
            Map<String, Report.Usage> baselineUsage = sampler.usage("baseline");
            Map<String, Report.Usage> sagaUsage = sampler.usage("saga");
            // Per invariant, the violations of every wave (before cleanup), then after cleanup; the waves beside a slow
            // deployment are held to the same invariants (its own connection has checks of its own, see slowDeployment).
            List<Invariants.Check> waveChecks = new ArrayList<>(sagaRun.waveChecks);
            waveChecks.addAll(beside.waveChecks);
            List<Invariants.Check> cleanupChecks = new ArrayList<>(sagaRun.cleanupChecks);
            cleanupChecks.addAll(beside.cleanupChecks);
            invariants.addAll(combine(waveChecks));
            for (Invariants.Check check : combine(cleanupChecks)) {
                if (!ON_VERIFIED.contains(check.name())) {
                    invariants.add(new Invariants.Check("after cleanup: " + check.name(), check.ok(), check.violations()));
                }
            }
            invariants.addAll(slowChecks);
            Report.Series baseline = series(options.skipBaseline() ? 0 : options.connections(), baselineLatency, baselineErrors,
                    baselineMillis);
            return new Report(options.asMap(), baseline, saga, saga.latency().over(baseline.latency()), summarize(baselineSteps),
                    summarize(sagaRun.steps), Percentiles.of(sagaRun.clientLatency), Percentiles.of(sagaRun.disconnectLatency),
                    sagaRun.statuses, List.copyOf(errors), baselineUsage, sagaUsage, startup, List.copyOf(chaosEvents),
                    List.copyOf(invariants), slow, Report.CpuPerSaga.of(sampler.usage("idle"), sampler.seconds("idle"),
                            sagaUsage, sampler.seconds("saga"), saga.completed(), crosslinkGroups(groups.keySet())),
                    new Report.RemoteRepairs(baselineRepairs.get(), sagaRepairs.get()));
        } finally {
            feeds.values().forEach(StatusFeed::close);
            if (latencyFaultId != null) {
                removeFault(latencyFaultId);
            }
        }
    }

    /** Both sides' connections {@code warm}, run and cleaned up as a wave is; nothing of them is reported but errors. */
    private void warmUp(List<Integer> warm, Workload workload) throws InterruptedException {
        Map<String, List<Long>> steps = steps();
        if (!options.skipBaseline()) {
            Map<Integer, String[]> made = new ConcurrentHashMap<>();
            workload.run(warm, i -> baseline(i, made, steps, Collections.synchronizedList(new ArrayList<>()), errors));
            workload.run(warm, i -> baselineCleanup(i, made.get(i), errors));
        }
        Map<Integer, Invariants.Outcome> outcomes = new ConcurrentHashMap<>();
        workload.run(warm, i -> saga(i, outcomes, steps, Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>())));
        workload.run(warm, i -> disconnect(outcomes.get(i), i, new ConcurrentHashMap<>(),
                Collections.synchronizedList(new ArrayList<>())));
    }

    private void pin(Map<String, Supplier<List<Long>>> groups) {
        if (options.pin() != null) {
            int pinned = CpuPinning.pin(groups, crosslinkGroups(groups.keySet()), options.pin());
            BenchStack.say("Pinned " + pinned + " processes: Elasticsearch and cloud-sim to CPUs " + options.pin().elasticCpus()
                    + ", Crosslink to CPUs " + options.pin().crosslinkCpus());
        }
    }

    /** One status stream per connect-service instance, open (its ready event came) before anything is measured. */
    private void openFeeds() throws InterruptedException {
        for (String url : connectUrls) {
            feeds.put(url, new StatusFeed(url, this::bearer));
        }
        Instant until = Instant.now().plusSeconds(30);
        while (!feeds.values().stream().allMatch(StatusFeed::ready)) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("the status stream of connect-service did not open within 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** The invariants that only concern VERIFIED connections (not checked after cleanup, when none is left VERIFIED). */
    private static final java.util.Set<String> ON_VERIFIED = java.util.Set.of("VERIFIED: one active key on R",
            "VERIFIED: keystore entry and connected remote on L");

    /** What the saga waves of one phase measured: the run's own, or the same waves beside a slow deployment. */
    private static final class SagaRun {
        final Map<String, List<Long>> steps = steps();
        final List<Long> latency = Collections.synchronizedList(new ArrayList<>());
        final List<Long> clientLatency = Collections.synchronizedList(new ArrayList<>());
        final List<Long> disconnectLatency = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Long> statuses = new TreeMap<>();
        final List<Invariants.Check> waveChecks = new ArrayList<>();
        final List<Invariants.Check> cleanupChecks = new ArrayList<>();
        long millis;
        int errors;

        Report.Series series(int requested) {
            return Bench.series(requested, latency, errors, millis);
        }
    }

    /** One saga wave: the burst, the invariants on the real state, its cleanup (DELETE of each) and the invariants again. */
    private void sagaWave(List<Integer> wave, Workload workload, ResourceSampler sampler, String phase, SagaRun run)
            throws IOException, InterruptedException {
        Map<Integer, Invariants.Outcome> outcomes = new ConcurrentHashMap<>();
        sampler.phase(phase);
        burstActive = true;
        run.millis += workload.run(wave, i -> saga(i, outcomes, run.steps, run.latency, run.clientLatency));
        burstActive = false;
        sampler.phase("cleanup");
        List<Invariants.Outcome> list = wave.stream().map(i -> outcomes.getOrDefault(i,
                new Invariants.Outcome(alias("saga", i), null, null))).toList();
        list.forEach(o -> run.statuses.merge(String.valueOf(o.status()), 1L, Long::sum));
        run.errors += (int) list.stream().filter(o -> !"VERIFIED".equals(o.status())).count();
        run.waveChecks.add(merge(Invariants.evaluate(list, elastic.snapshot())));
        Map<Integer, Invariants.Outcome> cleaned = new ConcurrentHashMap<>();
        workload.run(wave, i -> disconnect(outcomes.get(i), i, cleaned, run.disconnectLatency));
        List<Invariants.Outcome> cleanedList = wave.stream().map(i -> cleaned.getOrDefault(i,
                new Invariants.Outcome(alias("saga", i), null, null))).toList();
        run.cleanupChecks.add(merge(Invariants.evaluate(cleanedList, elastic.snapshot())));
    }

    // ---- slow deployment (issue #13: no deployment stalls another) ----

    /**
     * The saga waves again, while the peer deployment answers every Cloud API and Elasticsearch call after
     * {@code --slow-ms} and one connection from it (peer → R, API key) is in flight, posted right before the first wave.
     * The faults are removed after the last wave (its cleanup included); then the slow connection gets
     * {@code --slow-wait} to end, its state on R and peer is checked (its own invariants, apart from the waves'), and
     * it is deleted unless it already ended with nothing left.
     */
    private Report.SlowDeployment slowDeployment(List<List<Integer>> waves, Workload workload, ResourceSampler sampler,
            Report.Series without, SagaRun beside) throws IOException, InterruptedException {
        int offset = options.connections() + options.warmup(); // new aliases and keys: after the waves and the warm-up
        String alias = "bench-slow-" + runTag;
        List<String> faults = new ArrayList<>();
        String id;
        long posted;
        try {
            for (String target : List.of("cloud-api", "elasticsearch")) {
                faults.add(injectFault(Http.JSON.createObjectNode().put("deploymentId", PEER_ID).put("target", target)
                        .put("latencyMs", options.slowMs()), options.slowMs() + " ms on every " + target + " call of peer " + PEER_ID));
            }
            if (latencyFaultId != null) {
                // One fault per call, the first created that matches: the run's latency must come after the peer's.
                removeFault(latencyFaultId);
                latencyFaultId = injectLatency();
            }
            posted = System.nanoTime();
            id = submit(connectUrl(0), alias, sagaBody(alias, PEER_ID), "bench-" + runTag + "-slow",
                    Instant.now().plusSeconds(options.terminalTimeoutSeconds()));
            BenchStack.say("slow deployment: connection " + alias + " from peer posted (" + id + "); the same saga waves beside it ...");
            int waveNumber = 0;
            for (List<Integer> wave : waves) {
                waveNumber++;
                sagaWave(wave.stream().map(i -> i + offset).toList(), workload, sampler, "slow-deployment", beside);
                BenchStack.say(String.format("slow deployment: wave %d/%d: saga %s so far", waveNumber, waves.size(), beside.statuses));
            }
        } finally {
            for (String fault : faults) {
                removeFault(fault);
            }
        }
        long cleared = System.nanoTime();
        BenchStack.say("slow deployment: faults removed; waiting up to " + options.slowWaitSeconds() + " s for " + alias + " to end ...");
        sampler.phase("slow-deployment-end");
        Invariants.Outcome end = new Invariants.Outcome(alias, id, null);
        Double endSeconds = null;
        Double afterFaults = null;
        if (id != null) {
            JsonNode document = awaitTerminal(connectUrl(0), id, Instant.now().plusSeconds(options.slowWaitSeconds()));
            long ended = System.nanoTime();
            String status = document == null ? null : document.path("status").asText();
            end = new Invariants.Outcome(alias, id, status);
            if (status != null && Invariants.TERMINAL.contains(status)) {
                endSeconds = (ended - posted) / 1e9;
                afterFaults = (ended - cleared) / 1e9;
            }
            if (!"VERIFIED".equals(status) && document != null) {
                String failure = lastFailure(document);
                BenchStack.say("slow deployment: " + alias + " " + status + (failure.isEmpty() ? "" : " (" + failure + ")"));
            }
        }
        ElasticSnapshot atEnd = peerElastic.snapshot();
        addSlowChecks("slow deployment's connection: ", Invariants.evaluate(List.of(end), atEnd));
        String afterCleanup = null;
        List<String> leftAfterCleanup = List.of();
        if (end.status() != null && !Invariants.NOTHING_LEFT.contains(end.status())) {
            Map<Integer, Invariants.Outcome> cleaned = new ConcurrentHashMap<>();
            disconnect(end, 0, cleaned, new ArrayList<>());
            Invariants.Outcome after = cleaned.getOrDefault(0, new Invariants.Outcome(alias, id, null));
            ElasticSnapshot afterSnapshot = peerElastic.snapshot();
            addSlowChecks("slow deployment's connection after cleanup: ", Invariants.evaluate(List.of(after), afterSnapshot).stream()
                    .filter(check -> !ON_VERIFIED.contains(check.name())).toList());
            afterCleanup = after.status();
            leftAfterCleanup = onElastic(after, afterSnapshot);
        }
        Report.SlowConnection connection = new Report.SlowConnection(alias, id, end.status(), endSeconds, afterFaults,
                onElastic(end, atEnd), afterCleanup, leftAfterCleanup);
        Report.Series with = beside.series(options.connections());
        Percentiles.Ratio ratio = with.latency().over(without.latency());
        boolean held = ratio.p50() != null && ratio.p50() <= SLOW_DEPLOYMENT_GOAL;
        BenchStack.say(String.format(java.util.Locale.ROOT, "slow deployment: others' p50 %d ms without, %d ms with (%s), goal %.1fx %s;"
                + " %s ended %s%s", without.latency().p50(), with.latency().p50(),
                ratio.p50() == null ? "no ratio" : String.format(java.util.Locale.ROOT, "%.2fx", ratio.p50()), SLOW_DEPLOYMENT_GOAL,
                held ? "held" : "NOT held", alias, end.status(),
                endSeconds == null ? " (not in time)" : String.format(java.util.Locale.ROOT, " %.1f s after its POST", endSeconds)));
        return new Report.SlowDeployment(PEER_ID, options.slowMs(), without, with, ratio.p50(), ratio.p95(), SLOW_DEPLOYMENT_GOAL,
                held, summarize(beside.steps), beside.statuses, connection);
    }

    /** The slow connection's checks, named apart from the waves' (duplicates on R are the waves' check already). */
    private void addSlowChecks(String prefix, List<Invariants.Check> checks) {
        for (Invariants.Check check : checks) {
            if (!check.name().equals("no duplicate keys")) {
                slowChecks.add(new Invariants.Check(prefix + check.name().replace(" on L", " on peer"), check.ok(), check.violations()));
            }
        }
    }

    /** What of one connection is on Elastic: active keys on R, the keystore entry and the remote on its local deployment. */
    private static List<String> onElastic(Invariants.Outcome outcome, ElasticSnapshot state) {
        List<String> found = new ArrayList<>();
        long keys = outcome.id() == null ? 0 : state.activeKeysNamed("crosslink-" + outcome.id());
        if (keys > 0) {
            found.add(keys + " active key(s) on R");
        }
        if (state.localKeystoreEntries().contains(ElasticSnapshot.credentialsEntry(outcome.alias()))) {
            found.add("keystore entry");
        }
        if (state.localRemoteSettingAliases().contains(outcome.alias())) {
            found.add("remote settings");
        }
        Boolean connected = state.localRemoteConnected().get(outcome.alias());
        if (connected != null) {
            found.add(connected ? "remote connected" : "remote not connected");
        }
        return found;
    }

    // ---- baseline ----

    private void baseline(int i, Map<Integer, String[]> made, Map<String, List<Long>> steps, List<Long> latency, List<String> failures) {
        String alias = alias("base", i);
        String connectionId = "bench-" + runTag + "-" + i;
        long begin = System.nanoTime();
        long mark = begin;
        String step = "validate";
        try {
            elastic.lookUpDeployments();
            mark = record(steps, step, mark);
            step = "create_key";
            String[] key = elastic.createKey("crosslink-bench-" + connectionId, connectionId, alias);
            made.put(i, key);
            mark = record(steps, step, mark);
            step = "update_keystore";
            elastic.patchKeystore(alias, key[1]);
            mark = record(steps, step, mark);
            step = "register_remote";
            elastic.registerRemote(alias);
            mark = record(steps, step, mark);
            step = "verify";
            verifyBaseline(alias);
            record(steps, step, mark);
            latency.add((System.nanoTime() - begin) / 1_000_000);
        } catch (IOException | RuntimeException | InterruptedException e) {
            failures.add("baseline " + alias + " " + step + ": " + e.getMessage());
        }
    }

    /**
     * Attempts until proven, as verify-service does, with connect-service's repair (its RemoteWatch): an alias lost by
     * the node on two looks in a row is registered again (nulled and written), so the floor makes the saga's calls.
     */
    private void verifyBaseline(String alias) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        int lostInARow = 0;
        for (Elastic.Attempt attempt = elastic.verifyAttempt(alias); attempt != Elastic.Attempt.VERIFIED;
                attempt = elastic.verifyAttempt(alias)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("not connected after 120 s");
            }
            lostInARow = attempt == Elastic.Attempt.LOST ? lostInARow + 1 : 0;
            if (lostInARow == 2) {
                elastic.removeRemote(alias);
                elastic.registerRemote(alias);
                baselineRepairs.incrementAndGet();
                lostInARow = 0;
            }
            Thread.sleep(200);
        }
    }

    private void baselineCleanup(int i, String[] key, List<String> failures) {
        String alias = alias("base", i);
        try {
            elastic.removeRemote(alias);
            elastic.patchKeystore(alias, null);
            if (key != null) {
                elastic.invalidateKey(key[0]);
            }
        } catch (IOException | RuntimeException e) {
            failures.add("baseline cleanup " + alias + ": " + e.getMessage());
        }
    }

    // ---- saga ----

    private void saga(int i, Map<Integer, Invariants.Outcome> outcomes, Map<String, List<Long>> steps, List<Long> latency,
            List<Long> clientLatency) {
        String alias = alias("saga", i);
        long begin = System.nanoTime();
        Instant deadline = Instant.now().plusSeconds(options.terminalTimeoutSeconds());
        String id = submit(connectUrl(i), alias, sagaBody(alias, LOCAL_ID), "bench-" + runTag + "-" + i, deadline);
        if (id == null) {
            outcomes.put(i, new Invariants.Outcome(alias, null, null));
            return;
        }
        JsonNode document = awaitTerminal(connectUrl(i), id, deadline);
        String status = document == null ? null : document.path("status").asText();
        outcomes.put(i, new Invariants.Outcome(alias, id, status));
        if (!"VERIFIED".equals(status)) {
            errors.add("saga " + alias + " (" + id + "): " + status + (document == null ? "" : " " + lastFailure(document)));
            return;
        }
        clientLatency.add((System.nanoTime() - begin) / 1_000_000);
        sagaRepairs.addAndGet(Math.max(0, count(document, "RemoteConnected") - 1));
        Instant previous = Instant.parse(document.path("createdAt").asText());
        Instant created = previous;
        for (int s = 0; s < STEP_EVENTS.size(); s++) {
            Instant at = eventTime(document, STEP_EVENTS.get(s));
            if (at != null) {
                steps.get(STEPS.get(s)).add(Duration.between(previous, at).toMillis());
                previous = at;
            }
        }
        latency.add(Duration.between(created, previous).toMillis());
    }

    /** The bench's request: an API-key connection from {@code localId} (ECE) to R, search on {@code demo-*}. */
    private static String sagaBody(String alias, String localId) {
        return """
                {"alias":"%s","securityModel":"api_key","local":{"environment":"ece","deploymentId":"%s"},\
                "remote":{"environment":"ess","deploymentId":"%s"},"access":{"search":[{"names":["demo-*"]}]}}"""
                .formatted(alias, localId, REMOTE_ID);
    }

    /**
     * POSTs until accepted (the connection id) or refused or past {@code deadline} (null; an error is recorded): the
     * same Idempotency-Key makes a retry after a lost answer (a killed connect-service) safe.
     */
    /** The Authorization header value of the stack's administrator (read once: the file does not change during a run). */
    private synchronized String bearer() throws IOException {
        if (adminToken == null) {
            adminToken = stack.adminToken();
        }
        return "Bearer " + adminToken;
    }

    private String submit(String connectUrl, String alias, String body, String idempotencyKey, Instant deadline) {
        String lastError = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                Http.Response response = Http.send("POST", connectUrl + "/api/v1/connections", body,
                        "Idempotency-Key", idempotencyKey, "Authorization", bearer());
                if (response.status() == 202) {
                    return response.json().path("id").asText();
                } else if (response.status() < 500) {
                    errors.add("saga " + alias + ": POST answered " + response.status() + ": " + Http.abbreviate(response.body()));
                    return null;
                }
                lastError = "POST answered " + response.status();
            } catch (IOException e) {
                lastError = "POST: " + e.getMessage();
            }
            sleep(500);
        }
        if (lastError != null) {
            errors.add("saga " + alias + ": never accepted: " + lastError);
        }
        return null;
    }

        private void disconnect(Invariants.Outcome outcome, int i, Map<Integer, Invariants.Outcome> cleaned, List<Long> latency) {
        if (outcome == null || outcome.id() == null) {
            return;
        }
        long begin = System.nanoTime();
        Instant deadline = Instant.now().plusSeconds(options.terminalTimeoutSeconds());
        boolean sent = false;
        while (!sent && Instant.now().isBefore(deadline)) {
            try {
                sent = Http.send("DELETE", connectUrl(i) + "/api/v1/connections/" + outcome.id(), null,
                        "Authorization", bearer()).status() == 202;
            } catch (IOException e) {
                // connect-service restarting
            }
            if (!sent) {
                sleep(500);
            }
        }
        JsonNode document = awaitStatus(connectUrl(i), outcome.id(), deadline, Invariants.NOTHING_LEFT, "FAILED");
        String status = document == null ? null : document.path("status").asText();
        if ("DISCONNECTED".equals(status)) {
            latency.add((System.nanoTime() - begin) / 1_000_000);
        } else {
            errors.add("cleanup " + outcome.alias() + " (" + outcome.id() + "): " + status);
        }
        cleaned.put(i, new Invariants.Outcome(outcome.alias(), outcome.id(), status));
    }

    private JsonNode awaitTerminal(String connectUrl, String id, Instant deadline) {
        return awaitStatus(connectUrl, id, deadline, Invariants.TERMINAL, null);
    }

    /**
     * Follows the document until its status is in {@code wanted} (or equals {@code also}); the last one seen otherwise.
     * With {@code --follow stream} the connect-service's status stream brings each change and a GET every
     * {@link #FALLBACK_POLL} finds what a dropped stream missed; with {@code --follow poll}, a GET every {@link #POLL}.
     */
    private JsonNode awaitStatus(String connectUrl, String id, Instant deadline, java.util.Set<String> wanted, String also) {
        StatusFeed feed = feeds.get(connectUrl);
        JsonNode last = null;
        JsonNode streamed = null;
        long nextRead = System.nanoTime();
        while (true) {
            if (System.nanoTime() - nextRead >= 0) {
                JsonNode read = read(connectUrl, id);
                if (read != null) {
                    last = read;
                    if (reached(last, wanted, also)) {
                        return last;
                    }
                }
                nextRead = System.nanoTime() + (feed == null ? POLL : FALLBACK_POLL).toNanos();
            }
            if (Instant.now().isAfter(deadline)) {
                return last;
            }
            if (feed == null) {
                sleep(POLL.toMillis());
                continue;
            }
            try {
                JsonNode next = feed.awaitChange(id, streamed, Duration.ofNanos(Math.max(0, nextRead - System.nanoTime())));
                if (next != streamed) {
                    streamed = next;
                    last = next;
                    if (reached(last, wanted, also)) {
                        return last;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
    }

    /** GET of the document; null when connect-service does not answer it (restarting: the caller tries again). */
    private JsonNode read(String connectUrl, String id) {
        try {
            Http.Response response = Http.send("GET", connectUrl + "/api/v1/connections/" + id, null, "Authorization", bearer());
            return response.status() == 200 ? response.json() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean reached(JsonNode document, java.util.Set<String> wanted, String also) {
        String status = document.path("status").asText();
        return wanted.contains(status) || status.equals(also);
    }

    private static Instant eventTime(JsonNode document, String event) {
        for (JsonNode entry : document.path("timeline")) {
            if (entry.path("event").asText().equals(event)) {
                return Instant.parse(entry.path("at").asText());
            }
        }
        return null;
    }

    private static int count(JsonNode document, String event) {
        int count = 0;
        for (JsonNode entry : document.path("timeline")) {
            count += entry.path("event").asText().equals(event) ? 1 : 0;
        }
        return count;
    }

    private static String lastFailure(JsonNode document) {
        for (JsonNode entry : document.path("timeline")) {
            if (entry.hasNonNull("errorType")) {
                return entry.path("step").asText() + " " + entry.path("errorType").asText() + ": "
                        + Http.abbreviate(entry.path("errorReason").asText());
            }
        }
        return "";
    }

    // ---- chaos ----

    private Thread startChaos(List<Report.ChaosEvent> events) {
        Random random = new Random(options.seed());
        long begin = System.nanoTime();
        Thread thread = new Thread(() -> {
            try {
                for (int k = 0; k < options.kills(); k++) {
                    int gap = options.chaosMinGapSeconds()
                            + random.nextInt(Math.max(1, options.chaosMaxGapSeconds() - options.chaosMinGapSeconds() + 1));
                    String target = options.chaosTargets().get(random.nextInt(options.chaosTargets().size()));
                    long down = 500 + random.nextInt(2500);
                    // Drawn last, so a run without replicas keeps the plan it always had for a seed.
                    int instance = options.replicas() > 1 ? random.nextInt(options.replicas()) : 0;
                    Thread.sleep(gap * 1000L);
                    while (!burstActive) {
                        Thread.sleep(200);
                    }
                    double at = (System.nanoTime() - begin) / 1e9;
                    String victim = options.replicas() > 1 && !target.equals("kafka") ? target + " #" + (instance + 1) : target;
                    BenchStack.say(String.format("chaos: kill -9 %s at %.1f s (down %d ms)", victim, at, down));
                    try {
                        long restart = stack.killAndRestart(target, instance, Duration.ofMillis(down));
                        events.add(new Report.ChaosEvent(at, victim, down, restart, null));
                        BenchStack.say("chaos: " + victim + " ready again after " + restart + " ms");
                    } catch (IOException | RuntimeException e) {
                        events.add(new Report.ChaosEvent(at, victim, down, -1, e.getMessage()));
                        errors.add("chaos " + victim + ": " + e.getMessage());
                    }
                }
            } catch (InterruptedException e) {
                // the burst is over
            }
        }, "chaos");
        thread.start();
        return thread;
    }

    // ---- helpers ----

    private String injectLatency() throws IOException {
        return injectFault(Http.JSON.createObjectNode().put("latencyMs", options.latencyMs()),
                options.latencyMs() + " ms on every Elastic and Cloud API call");
    }

    /** Adds one cloud-sim fault ({@code POST /sim/faults}); returns its id. */
    private String injectFault(com.fasterxml.jackson.databind.node.ObjectNode fault, String what) throws IOException {
        String id = Http.ok("POST /sim/faults", "POST", stack.cloudSimUrl() + "/sim/faults", fault.toString()).path("id").asText();
        BenchStack.say("Injected " + what + " (" + id + ")");
        return id;
    }

    private void removeFault(String id) throws IOException {
        Http.send("DELETE", stack.cloudSimUrl() + "/sim/faults/" + id, null);
    }

    private String alias(String kind, int i) {
        return "bench-" + kind + "-" + runTag + "-" + i;
    }

    private static Map<String, List<Long>> steps() {
        Map<String, List<Long>> steps = new LinkedHashMap<>();
        STEPS.forEach(step -> steps.put(step, Collections.synchronizedList(new ArrayList<>())));
        return steps;
    }

    private static long record(Map<String, List<Long>> steps, String step, long since) {
        long now = System.nanoTime();
        steps.get(step).add((now - since) / 1_000_000);
        return now;
    }

    private static Map<String, Percentiles> summarize(Map<String, List<Long>> steps) {
        Map<String, Percentiles> summary = new LinkedHashMap<>();
        steps.forEach((step, values) -> summary.put(step, Percentiles.of(values)));
        return summary;
    }

    private static Report.Series series(int requested, List<Long> latency, int errors, long millis) {
        double seconds = millis / 1000.0;
        return new Report.Series(requested, latency.size(), errors, seconds, seconds == 0 ? 0 : latency.size() / seconds,
                Percentiles.of(latency));
    }

    /** Marks a wave's checks (so {@link #combine} can merge them per invariant). */
    private static Invariants.Check merge(List<Invariants.Check> checks) {
        return new Invariants.Check("wave", Invariants.allOk(checks), checks.stream()
                .flatMap(c -> c.violations().stream().map(v -> c.name() + "\u0000" + v)).toList());
    }

    /** One check per invariant over all waves. */
    static List<Invariants.Check> combine(List<Invariants.Check> waves) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (Invariants.Check check : Invariants.evaluate(List.of(), new ElasticSnapshot(List.of(), java.util.Set.of(),
                java.util.Set.of(), Map.of()))) {
            byName.put(check.name(), new ArrayList<>());
        }
        for (Invariants.Check wave : waves) {
            for (String violation : wave.violations()) {
                String[] parts = violation.split("\u0000", 2);
                byName.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
            }
        }
        List<Invariants.Check> checks = new ArrayList<>();
        byName.forEach((name, list) -> checks.add(new Invariants.Check(name, list.isEmpty(), list)));
        return checks;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

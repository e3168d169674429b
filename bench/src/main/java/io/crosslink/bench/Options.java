package io.crosslink.bench;

import io.crosslink.deploy.KafkaGroupProtocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The harness' parameters (see bench/README.md); all of them are recorded in the report. */
record Options(int connections, int concurrency, int wave, double rate, long seed, int latencyMs, boolean chaos, int kills,
        List<String> chaosTargets, int chaosMinGapSeconds, int chaosMaxGapSeconds, int kafkaSessionTimeoutSeconds,
        boolean useRunning, String connectUrl, Path stateDir, Path out, boolean skipBaseline, int terminalTimeoutSeconds,
        boolean slowDeployment, int slowMs, int slowWaitSeconds, int replicas, KafkaGroupProtocol groupProtocol,
        boolean followStream, Pin pin, int warmup) {

    /**
     * {@code --pin E:C}: the CPUs of the Elastic side (the Elasticsearch nodes and cloud-sim, the control plane) and of
     * Crosslink (services, Kafka, PostgreSQL), as taskset lists; both sides then stop taking cores from each other.
     */
    record Pin(String elasticCpus, String crosslinkCpus) {
        private static final Pattern CPU_LIST = Pattern.compile("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");

        static Pin parse(String value) {
            String[] sides = value.split(":", -1);
            if (sides.length != 2 || !CPU_LIST.matcher(sides[0]).matches() || !CPU_LIST.matcher(sides[1]).matches()) {
                throw new IllegalArgumentException("--pin must be ELASTIC_CPUS:CROSSLINK_CPUS as taskset lists (e.g. 0:1 or "
                        + "0-1:2-3), not " + value);
            }
            return new Pin(sides[0], sides[1]);
        }
    }

    static final String USAGE = """
            deploy/bench/run.sh [options]
              -n, --connections N     connections per side (default 20)
              -c, --concurrency C     connections in flight at once, baseline and saga alike (default 5)
              --wave W                connections per wave; each wave is cleaned up before the next (default 10)
              --warmup W              connections per side before the measured waves, not counted (default 10): the
                                      services run warm in production, so the figures are taken warm too
              --rate R                open-loop arrivals per second instead of -c (Poisson, seeded; 0 = closed loop)
              --seed S                seed of arrivals and chaos (default 42)
              --latency-ms L          latency injected on every Elastic call through cloud-sim's faults (default 0)
              --chaos                 kill -9 services / Kafka during the saga burst, restart them, check invariants
              --kills K               kills in chaos mode (default 3)
              --chaos-target T        only this target (repeatable): connect-service key-service trust-service
                                      verify-service kafka (default: a random one each time)
              --chaos-gap MIN:MAX     seconds between kills (default 5:20)
              --kafka-session-timeout S  consumers' session timeout in s (default: services' own, 45 s)
              --replicas R            instances of every service (default 1): one consumer group and one database per
                                      service; the saga's REST calls are spread over the connect-services (request i
                                      to instance i mod R); with --chaos a kill hits a random instance
              --group-protocol P      Kafka consumer group protocol: classic (cooperative-sticky assignor; default) or
                                      consumer (KIP-848; its session is the broker's, see bench/README.md)
              --follow F              how the saga's client follows its connections: stream (connect-service's server-sent
                                      events, a GET every 2 s besides; default) or poll (a GET every 250 ms)
              --use-running           measure the stack of deploy/local/run.sh instead of starting one (no chaos)
              --connect-url URL       connect-service (default http://localhost:8080)
              --state-dir DIR         the stack's state (default bench/target/stack; with --use-running deploy/local/.state)
              --out DIR               report directory (default bench/target/bench-<time>)
              --skip-baseline         saga only
              --terminal-timeout S    how long a request may take to end (default 420)
              --slow-deployment       after the saga waves, the same waves again while the peer deployment answers every
                                      Cloud API and Elasticsearch call after --slow-ms, with one connection from peer in
                                      flight; reports the others' p50/p95 against the waves without it (goal <= 1.3x)
              --slow-ms MS            that latency (default 60000)
              --slow-wait S           how long the peer's connection may take to end once the faults are gone (default 360)
              --pin E:C               pin the Elasticsearch nodes and cloud-sim to CPUs E, Crosslink (services, Kafka,
                                      PostgreSQL) to CPUs C (taskset lists, e.g. 0:1): each side on cores of its own, as
                                      in production; the harness itself stays unpinned (default: no pinning)
            """;

    static Options parse(String[] args, Path root) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> targets = new ArrayList<>();
        boolean chaos = false;
        boolean useRunning = false;
        boolean skipBaseline = false;
        boolean slowDeployment = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--chaos" -> chaos = true;
                case "--use-running" -> useRunning = true;
                case "--skip-baseline" -> skipBaseline = true;
                case "--slow-deployment" -> slowDeployment = true;
                case "-h", "--help" -> throw new IllegalArgumentException("");
                case "--chaos-target" -> targets.add(value(args, ++i, arg));
                default -> {
                    if (!arg.startsWith("-")) {
                        throw new IllegalArgumentException("unexpected argument " + arg);
                    }
                    values.put(arg.equals("-n") ? "--connections" : arg.equals("-c") ? "--concurrency" : arg, value(args, ++i, arg));
                }
            }
        }
        for (String target : targets) {
            if (!BenchStack.CHAOS_TARGETS.contains(target)) {
                throw new IllegalArgumentException("--chaos-target must be one of " + BenchStack.CHAOS_TARGETS);
            }
        }
        String[] gap = values.getOrDefault("--chaos-gap", "5:20").split(":");
        Path stateDir = Path.of(values.getOrDefault("--state-dir",
                root.resolve(useRunning ? "deploy/local/.state" : "bench/target/stack").toString()));
        Path out = Path.of(values.getOrDefault("--out", root.resolve("bench/target/bench-"
                + java.time.LocalDateTime.now().withNano(0).toString().replace(":", "")).toString()));
        Options options = new Options(integer(values, "--connections", 20), integer(values, "--concurrency", 5),
                integer(values, "--wave", 10), Double.parseDouble(values.getOrDefault("--rate", "0")),
                Long.parseLong(values.getOrDefault("--seed", "42")), integer(values, "--latency-ms", 0), chaos,
                integer(values, "--kills", 3), targets.isEmpty() ? BenchStack.CHAOS_TARGETS : List.copyOf(targets),
                Integer.parseInt(gap[0]), Integer.parseInt(gap[gap.length - 1]), integer(values, "--kafka-session-timeout", 0),
                useRunning, values.getOrDefault("--connect-url", "http://localhost:8080"), stateDir, out, skipBaseline,
                integer(values, "--terminal-timeout", 420), slowDeployment, integer(values, "--slow-ms", 60_000),
                integer(values, "--slow-wait", 360), integer(values, "--replicas", 1),
                KafkaGroupProtocol.parse(values.getOrDefault("--group-protocol", KafkaGroupProtocol.DEFAULT.option())),
                follow(values.getOrDefault("--follow", "stream")),
                values.containsKey("--pin") ? Pin.parse(values.get("--pin")) : null, integer(values, "--warmup", 10));
        values.keySet().removeAll(List.of("--connections", "--concurrency", "--wave", "--rate", "--seed", "--latency-ms",
                "--kills", "--chaos-gap", "--kafka-session-timeout", "--connect-url", "--state-dir", "--out", "--terminal-timeout",
                "--slow-ms", "--slow-wait", "--replicas", "--group-protocol", "--follow", "--pin", "--warmup"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + values.keySet());
        }
        if (options.connections < 1 || options.concurrency < 1 || options.wave < 1 || options.latencyMs < 0) {
            throw new IllegalArgumentException("-n, -c and --wave must be at least 1, --latency-ms at least 0");
        }
        if (options.warmup < 0) {
            throw new IllegalArgumentException("--warmup must be at least 0");
        }
        if (options.slowMs < 1 || options.slowWaitSeconds < 1) {
            throw new IllegalArgumentException("--slow-ms and --slow-wait must be at least 1");
        }
        if (slowDeployment && chaos) {
            throw new IllegalArgumentException("--slow-deployment compares two bursts: not with --chaos, whose kills would land in either");
        }
        if (options.replicas < 1) {
            throw new IllegalArgumentException("--replicas must be at least 1");
        }
        if (options.replicas > 1 && useRunning) {
            throw new IllegalArgumentException("--replicas starts the instances: it needs the stack the harness starts (not --use-running)");
        }
        if (chaos && useRunning) {
            throw new IllegalArgumentException("--chaos restarts what it kills: it needs the stack the harness starts (not --use-running)");
        }
        return options;
    }

    private static boolean follow(String value) {
        return switch (value) {
            case "stream" -> true;
            case "poll" -> false;
            default -> throw new IllegalArgumentException("--follow must be stream or poll, not " + value);
        };
    }

    /** As recorded in the report. */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("connections", connections);
        map.put("concurrency", rate > 0 ? "open loop" : concurrency);
        map.put("wave", wave);
        map.put("warmup", warmup);
        map.put("rate", rate);
        map.put("seed", seed);
        map.put("latencyMs", latencyMs);
        map.put("chaos", chaos);
        if (chaos) {
            map.put("kills", kills);
            map.put("chaosTargets", chaosTargets);
            map.put("chaosGapSeconds", chaosMinGapSeconds + ":" + chaosMaxGapSeconds);
        }
        map.put("slowDeployment", slowDeployment);
        if (slowDeployment) {
            map.put("slowMs", slowMs);
            map.put("slowWaitSeconds", slowWaitSeconds);
        }
        map.put("kafkaSessionTimeoutSeconds", kafkaSessionTimeoutSeconds == 0 ? "service default" : kafkaSessionTimeoutSeconds);
        map.put("replicas", replicas);
        map.put("follow", followStream ? "stream" : "poll");
        map.put("pin", pin == null ? "none" : "elastic " + pin.elasticCpus() + ", crosslink " + pin.crosslinkCpus());
        map.put("groupProtocol", useRunning ? "the running stack's" : groupProtocol.option());
        map.put("stack", useRunning ? "running (" + stateDir + ")" : "started by the harness");
        map.put("cores", Runtime.getRuntime().availableProcessors());
        return map;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int integer(Map<String, String> values, String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }
}

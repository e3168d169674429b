package io.crosslink.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one run measured; written as {@code report.json} and {@code report.md} and printed. The parameters
 * (seed included) are in it, so a run can be repeated and compared.
 */
public record Report(Map<String, Object> parameters, Series baseline, Series saga, Percentiles.Ratio ratio,
        Map<String, Percentiles> baselineSteps, Map<String, Percentiles> sagaSteps, Percentiles sagaClientLatency,
        Percentiles disconnectLatency, Map<String, Long> sagaStatuses, List<String> errors, Map<String, Usage> baselineUsage,
        Map<String, Usage> sagaUsage, Map<String, Startup> startup, List<ChaosEvent> chaos, List<Invariants.Check> invariants,
        SlowDeployment slowDeployment, CpuPerSaga cpuPerSaga, RemoteRepairs remoteRepairs) {

    /**
     * Remotes Elasticsearch lost right after registration (a keystore reload racing the first connection) that were
     * registered again: by the saga (connect-service's RemoteWatch, a second RemoteConnected in the timeline) and by the
     * baseline, which makes the same repair so that its floor is the saga's calls.
     */
    public record RemoteRepairs(int baseline, int saga) {
    }

    /**
     * One side of the comparison.
     *
     * @param seconds wall time of its waves (submission of the first to the last terminal; cleanup excluded)
     * @param throughput completed connections per second over {@code seconds}
     */
    public record Series(int requested, int completed, int errors, double seconds, double throughput, Percentiles latency) {
    }

    /** One process group over a phase: peak resident memory (sum of its processes) and CPU time used. */
    public record Usage(double peakRssMb, double cpuSeconds, double avgCores) {
    }

    /**
     * CPU time one saga costs, net of idle: per process group, (CPU used in the saga phase − its idle rate × the phase's
     * length) / completed sagas. Crosslink's own figure sums its services, Kafka and PostgreSQL (Elasticsearch and
     * cloud-sim are what it drives, shown apart).
     *
     * @param idleSeconds how long the idle rate was measured (the stack settled, nothing asked of it)
     * @param msByGroup net CPU-ms per completed saga, per process group
     * @param crosslinkMs the sum over {@code crosslinkGroups}
     */
    public record CpuPerSaga(double idleSeconds, Map<String, Double> msByGroup, double crosslinkMs) {
        static CpuPerSaga of(Map<String, Usage> idle, double idleSeconds, Map<String, Usage> saga, double sagaSeconds,
                int completed, java.util.Set<String> crosslinkGroups) {
            Map<String, Double> byGroup = new java.util.LinkedHashMap<>();
            double crosslink = 0;
            for (Map.Entry<String, Usage> group : saga.entrySet()) {
                Usage atIdle = idle.get(group.getKey());
                double idleCpu = atIdle == null ? 0 : atIdle.avgCores() * sagaSeconds;
                double ms = completed == 0 ? 0 : (group.getValue().cpuSeconds() - idleCpu) * 1000 / completed;
                byGroup.put(group.getKey(), ms);
                if (crosslinkGroups.contains(group.getKey())) {
                    crosslink += ms;
                }
            }
            return new CpuPerSaga(idleSeconds, byGroup, crosslink);
        }
    }

    /** A service's start: launch to ready (all four start together on this machine), and its RSS once idle. */
    public record Startup(Long startupMs, Double idleRssMb) {
    }

    /** One kill -9 of the chaos mode: when (seconds into the saga phase), what, and how long until it was ready again. */
    public record ChaosEvent(double atSeconds, String target, long downMs, long restartMs, String error) {
    }

    /**
     * {@code --slow-deployment} (issue #13): the saga waves again while one deployment answers every Cloud API and
     * Elasticsearch call after {@code slowMs}, with one connection from it in flight, against the saga waves without it.
     *
     * @param without the saga waves of the run ({@link #saga}), the reference
     * @param with the same waves beside the slow deployment (other connections only: its own is {@code connection})
     * @param p50Ratio with / without at p50 (null when either has no completed connection); {@code goalHeld} when at most {@code goal}
     * @param withSteps per step, as {@link #sagaSteps}, of the waves beside the slow deployment
     */
    public record SlowDeployment(String deploymentId, int slowMs, Series without, Series with, Double p50Ratio, Double p95Ratio,
            double goal, boolean goalHeld, Map<String, Percentiles> withSteps, Map<String, Long> withStatuses,
            SlowConnection connection) {
    }

    /**
     * The slow deployment's own connection, posted right before the waves beside it.
     *
     * @param endStatus the status it ended in once the faults were removed (the last one read when it did not end in time;
     *     null: never accepted or never read)
     * @param endSeconds from its POST to that status (null: it did not end in time)
     * @param endSecondsAfterFaults from the removal of the faults to that status (null: it did not end in time)
     * @param onElasticAtEnd what of it was on Elastic then: active keys on R, keystore entry and remote on its deployment
     * @param afterCleanupStatus after the harness' DELETE (sent unless it ended COMPENSATED, REJECTED or DISCONNECTED)
     * @param onElasticAfterCleanup what of it was left on Elastic after that
     */
    public record SlowConnection(String alias, String id, String endStatus, Double endSeconds, Double endSecondsAfterFaults,
            List<String> onElasticAtEnd, String afterCleanupStatus, List<String> onElasticAfterCleanup) {
    }

    public boolean invariantsOk() {
        return Invariants.allOk(invariants);
    }

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.json"), toJson());
            Files.writeString(dir.resolve("report.md"), toMarkdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("### Crosslink benchmark\n\n");
        md.append("Parameters: ");
        parameters.forEach((name, value) -> md.append('`').append(name).append('=').append(value).append("` "));
        md.append("\n\n");
        md.append("| | requested | completed | errors | wall s | throughput /s | p50 ms | p95 ms | p99 ms | max ms | mean ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        series(md, "baseline (direct calls)", baseline);
        series(md, "saga (202 → VERIFIED)", saga);
        md.append("| **ratio saga/baseline** | | | | | ")
                .append(baseline.throughput() == 0 ? "–" : fmt(saga.throughput() / baseline.throughput())).append(" | ")
                .append(ratio(ratio.p50())).append(" | ").append(ratio(ratio.p95())).append(" | ").append(ratio(ratio.p99()))
                .append(" | ").append(ratio(ratio.max())).append(" | ").append(ratio(ratio.mean())).append(" |\n\n");
        md.append("Saga latency as the client saw it (POST → VERIFIED seen on the stream or by a GET): ").append(line(sagaClientLatency))
                .append("; disconnect (DELETE → DISCONNECTED): ").append(line(disconnectLatency)).append(".\n");
        md.append("Saga end states: ").append(sagaStatuses).append(".");
        if (remoteRepairs != null && remoteRepairs.baseline() + remoteRepairs.saga() > 0) {
            md.append(" Remotes Elasticsearch lost and that were registered again: baseline ").append(remoteRepairs.baseline())
                    .append(", saga ").append(remoteRepairs.saga()).append('.');
        }
        md.append("\n\n");

        if (slowDeployment != null) {
            slowDeployment(md, slowDeployment);
        }
        md.append("Per step (ms; saga: gap between the step's event and the previous one in the timeline; baseline: the calls)\n\n");
        md.append("| step | baseline p50 | baseline p95 | saga p50 | saga p95 | saga p99 | saga max |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (String step : sagaSteps.keySet()) {
            Percentiles b = baselineSteps.getOrDefault(step, Percentiles.EMPTY);
            Percentiles s = sagaSteps.get(step);
            md.append("| ").append(step).append(" | ").append(b.count() == 0 ? "–" : b.p50()).append(" | ")
                    .append(b.count() == 0 ? "–" : b.p95()).append(" | ").append(s.p50()).append(" | ").append(s.p95())
                    .append(" | ").append(s.p99()).append(" | ").append(s.max()).append(" |\n");
        }
        md.append("\nResources (peak RSS = sum of the group's processes, sampled; CPU = user+system time in the phase)\n\n");
        md.append("| process | startup ms | idle RSS MB | baseline peak RSS MB | baseline CPU s | saga peak RSS MB | saga CPU s | saga avg cores |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String name : sagaUsage.keySet()) {
            Startup start = startup.get(name);
            Usage b = baselineUsage.get(name);
            Usage s = sagaUsage.get(name);
            md.append("| ").append(name).append(" | ")
                    .append(start == null || start.startupMs() == null ? "–" : start.startupMs()).append(" | ")
                    .append(start == null || start.idleRssMb() == null ? "–" : fmt(start.idleRssMb())).append(" | ")
                    .append(b == null ? "–" : fmt(b.peakRssMb())).append(" | ").append(b == null ? "–" : fmt(b.cpuSeconds()))
                    .append(" | ").append(fmt(s.peakRssMb())).append(" | ").append(fmt(s.cpuSeconds())).append(" | ")
                    .append(fmt(s.avgCores())).append(" |\n");
        }
        if (cpuPerSaga != null) {
            md.append("\nCPU per saga, net of idle (idle rate measured over ").append(fmt(cpuPerSaga.idleSeconds()))
                    .append(" s before the warm-up): **Crosslink (services, Kafka, PostgreSQL) ")
                    .append(fmt(cpuPerSaga.crosslinkMs())).append(" CPU-ms per saga**; per group: ");
            cpuPerSaga.msByGroup().forEach((name, ms) -> md.append(name).append(' ').append(fmt(ms)).append(" ms, "));
            md.setLength(md.length() - 2);
            md.append(".\n");
        }
        if (!chaos.isEmpty()) {
            md.append("\nChaos (kill -9, then restart)\n\n| at s | target | down ms | restart → ready ms | error |\n|---:|---|---:|---:|---|\n");
            for (ChaosEvent event : chaos) {
                md.append("| ").append(fmt(event.atSeconds())).append(" | ").append(event.target()).append(" | ")
                        .append(event.downMs()).append(" | ").append(event.restartMs()).append(" | ")
                        .append(event.error() == null ? "" : event.error()).append(" |\n");
            }
        }
        md.append("\nInvariants\n\n| invariant | result |\n|---|---|\n");
        for (Invariants.Check check : invariants) {
            md.append("| ").append(check.name()).append(" | ").append(check.ok() ? "ok" : "**FAILED**: " + String.join("; ",
                    check.violations().subList(0, Math.min(5, check.violations().size())))
                    + (check.violations().size() > 5 ? " … (" + check.violations().size() + ")" : "")).append(" |\n");
        }
        if (!errors.isEmpty()) {
            md.append("\nErrors (").append(errors.size()).append(")\n\n");
            errors.stream().limit(20).forEach(error -> md.append("- ").append(error.replace('\n', ' ')).append('\n'));
        }
        return md.toString();
    }

    private void slowDeployment(StringBuilder md, SlowDeployment slow) {
        md.append("Slow deployment: `").append(slow.deploymentId()).append("` answers every Cloud API and Elasticsearch call after ")
                .append(slow.slowMs()).append(" ms, one connection from it in flight; the same saga waves among the others\n\n");
        md.append("| saga among the others | requested | completed | errors | wall s | throughput /s | p50 ms | p95 ms | p99 ms | max ms | mean ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        series(md, "without the slow deployment", slow.without());
        series(md, "with the slow deployment", slow.with());
        md.append("| **ratio with/without** | | | | | | ").append(ratio(slow.p50Ratio())).append(" | ").append(ratio(slow.p95Ratio()))
                .append(" | | | |\n\n");
        md.append("Goal: p50 with/without ≤ ").append(fmt(slow.goal())).append("×: ")
                .append(slow.goalHeld() ? "held" : "**not held**").append(". End states beside it: ").append(slow.withStatuses())
                .append(".\n\n");
        md.append("| step | without p50 | without p95 | with p50 | with p95 | with max |\n|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Percentiles> step : slow.withSteps().entrySet()) {
            Percentiles without = sagaSteps.getOrDefault(step.getKey(), Percentiles.EMPTY);
            Percentiles with = step.getValue();
            md.append("| ").append(step.getKey()).append(" | ").append(without.p50()).append(" | ").append(without.p95())
                    .append(" | ").append(with.p50()).append(" | ").append(with.p95()).append(" | ").append(with.max()).append(" |\n");
        }
        SlowConnection c = slow.connection();
        md.append("\nThe slow deployment's connection `").append(c.alias()).append("` (").append(c.id()).append("): ");
        if (c.endSeconds() != null) {
            md.append("ended ").append(c.endStatus()).append(' ').append(fmt(c.endSeconds())).append(" s after its POST (")
                    .append(fmt(c.endSecondsAfterFaults())).append(" s after the faults were removed)");
        } else {
            md.append("**did not end** in time (last status ").append(c.endStatus()).append(')');
        }
        md.append("; on Elastic then: ").append(c.onElasticAtEnd().isEmpty() ? "nothing" : String.join(", ", c.onElasticAtEnd()));
        if (c.afterCleanupStatus() != null) {
            md.append("; after DELETE: ").append(c.afterCleanupStatus()).append(", on Elastic: ")
                    .append(c.onElasticAfterCleanup().isEmpty() ? "nothing" : String.join(", ", c.onElasticAfterCleanup()));
        }
        md.append(".\n\n");
    }

    private static void series(StringBuilder md, String label, Series series) {
        Percentiles p = series.latency();
        md.append("| ").append(label).append(" | ").append(series.requested()).append(" | ").append(series.completed())
                .append(" | ").append(series.errors()).append(" | ").append(fmt(series.seconds())).append(" | ")
                .append(fmt(series.throughput())).append(" | ").append(p.p50()).append(" | ").append(p.p95()).append(" | ")
                .append(p.p99()).append(" | ").append(p.max()).append(" | ").append(fmt(p.mean())).append(" |\n");
    }

    private static String line(Percentiles p) {
        return "p50 " + p.p50() + " / p95 " + p.p95() + " / p99 " + p.p99() + " / max " + p.max() + " ms (n=" + p.count() + ")";
    }

    private static String ratio(Double value) {
        return value == null ? "–" : "**" + fmt(value) + "×**";
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }
}

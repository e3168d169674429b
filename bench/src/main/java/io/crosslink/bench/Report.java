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
        Map<String, Usage> sagaUsage, Map<String, Startup> startup, List<ChaosEvent> chaos, List<Invariants.Check> invariants) {

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

    /** A service's start: launch to ready (all four start together on this machine), and its RSS once idle. */
    public record Startup(Long startupMs, Double idleRssMb) {
    }

    /** One kill -9 of the chaos mode: when (seconds into the saga phase), what, and how long until it was ready again. */
    public record ChaosEvent(double atSeconds, String target, long downMs, long restartMs, String error) {
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
        md.append("Saga latency as the client saw it (POST → poll saw VERIFIED): ").append(line(sagaClientLatency))
                .append("; disconnect (DELETE → DISCONNECTED): ").append(line(disconnectLatency)).append(".\n");
        md.append("Saga end states: ").append(sagaStatuses).append(".\n\n");

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

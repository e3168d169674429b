package io.crosslink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Samples, every {@code interval}, the resident memory ({@code VmRSS} of /proc/<pid>/status) and CPU time
 * ({@code utime + stime} of /proc/<pid>/stat) of named process groups (e.g. a root and its descendants:
 * Elasticsearch's controller, PostgreSQL's backends). The pids are looked up at each sample, so a process killed and
 * restarted by the chaos mode is followed. Each sample's CPU time and the group's summed RSS go to the current phase
 * (phases may alternate: baseline and saga waves are interleaved).
 */
public final class ResourceSampler implements AutoCloseable {
    /** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;
    private final Map<String, Supplier<List<Long>>> groups;
    private final long intervalMillis;
    private final Thread thread;
    private volatile boolean running = true;
    /** CPU ticks of each pid at the previous sample (a pid first seen after the start counts from 0: a restart). */
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private final Map<String, Phase> phases = new LinkedHashMap<>();
    private boolean started;
    private String phase = "other";
    private long phaseSince = System.nanoTime();

    private static final class Phase {
        final Map<String, Double> peakRssMb = new HashMap<>();
        final Map<String, Long> cpuTicks = new HashMap<>();
        long nanos;
    }

    public ResourceSampler(Map<String, Supplier<List<Long>>> groups, long intervalMillis) {
        this.groups = new LinkedHashMap<>(groups);
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::loop, "resource-sampler");
        this.thread.setDaemon(true);
    }

    public ResourceSampler start() {
        synchronized (this) {
            sample();
            started = true;
        }
        thread.start();
        return this;
    }

    /** From now on, samples count for {@code name}. */
    public synchronized void phase(String name) {
        sample();
        long now = System.nanoTime();
        phases.computeIfAbsent(phase, k -> new Phase()).nanos += now - phaseSince;
        phase = name;
        phaseSince = now;
    }

    /** One phase's figures (all its stretches together), per group. */
    public synchronized Map<String, Report.Usage> usage(String name) {
        Phase figures = phases.getOrDefault(name, new Phase());
        double seconds = Math.max(0.001, figures.nanos / 1e9);
        Map<String, Report.Usage> usage = new LinkedHashMap<>();
        for (String group : groups.keySet()) {
            double cpu = figures.cpuTicks.getOrDefault(group, 0L) / TICKS_PER_SECOND;
            usage.put(group, new Report.Usage(figures.peakRssMb.getOrDefault(group, 0.0), cpu, cpu / seconds));
        }
        return usage;
    }

    /** How long a phase lasted (all its stretches together), in seconds. */
    public synchronized double seconds(String name) {
        Phase figures = phases.get(name);
        return figures == null ? 0 : figures.nanos / 1e9;
    }

    /** The current RSS of these processes in MB (for idle figures). */
    public static double rssMb(List<Long> pids) {
        return pids.stream().mapToLong(ResourceSampler::rssKb).sum() / 1024.0;
    }

    private void loop() {
        while (running) {
            synchronized (this) {
                sample();
            }
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        Phase current = phases.computeIfAbsent(phase, k -> new Phase());
        for (var group : groups.entrySet()) {
            List<Long> pids;
            try {
                pids = group.getValue().get();
            } catch (RuntimeException e) {
                continue; // being restarted
            }
            long rss = 0;
            long delta = 0;
            for (long pid : pids) {
                rss += rssKb(pid);
                long cpu = cpuTicks(pid);
                if (cpu >= 0) {
                    Long last = lastTicks.put(pid, cpu);
                    delta += last != null ? cpu - last : started ? cpu : 0;
                }
            }
            current.cpuTicks.merge(group.getKey(), delta, Long::sum);
            current.peakRssMb.merge(group.getKey(), rss / 1024.0, Math::max);
        }
    }

    public static List<Long> withDescendants(List<Long> roots) {
        List<Long> all = new ArrayList<>();
        for (long root : roots) {
            ProcessHandle.of(root).ifPresent(handle -> {
                all.add(handle.pid());
                handle.descendants().forEach(child -> all.add(child.pid()));
            });
        }
        return all;
    }

    static long rssKb(long pid) {
        try {
            return parseStatusKb(Files.readString(Path.of("/proc", Long.toString(pid), "status")), "VmRSS");
        } catch (IOException | RuntimeException e) {
            return 0; // gone
        }
    }

    static long cpuTicks(long pid) {
        try {
            return parseStatTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code VmRSS:   123456 kB} → 123456 (0 when absent, e.g. a zombie). */
    static long parseStatusKb(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    /** utime + stime: fields 14 and 15 of /proc/<pid>/stat, counted after the command name's closing parenthesis. */
    static long parseStatTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14 → index 11, stime 15 → index 12.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}

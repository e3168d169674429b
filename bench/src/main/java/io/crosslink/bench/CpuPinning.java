package io.crosslink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code --pin}: every thread of every process of a group onto its side's CPUs ({@code taskset -a -c -p}). Threads and
 * children a pinned process starts later inherit its CPUs; a process restarted by the chaos mode is pinned again at
 * the next wave. On one 2-core machine Elasticsearch and Crosslink otherwise take cores from each other, which no
 * production placement does.
 */
final class CpuPinning {
    private CpuPinning() {
    }

    /** Pins each group to its side's CPUs; returns how many processes were pinned. */
    static int pin(Map<String, Supplier<List<Long>>> groups, Set<String> crosslinkGroups, Options.Pin pin) {
        int pinned = 0;
        for (var group : groups.entrySet()) {
            String cpus = crosslinkGroups.contains(group.getKey()) ? pin.crosslinkCpus() : pin.elasticCpus();
            for (long pid : group.getValue().get()) {
                if (pin(pid, cpus)) {
                    pinned++;
                }
            }
        }
        return pinned;
    }

    /** False when the process is gone (or taskset refused): the next wave tries again. */
    static boolean pin(long pid, String cpus) {
        if (!Files.isDirectory(Path.of("/proc", Long.toString(pid)))) {
            return false; // taskset -a answers 0 for a pid without threads
        }
        try {
            Process taskset = new ProcessBuilder("taskset", "-a", "-c", "-p", cpus, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return taskset.waitFor(10, TimeUnit.SECONDS) && taskset.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("--pin needs taskset (util-linux): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package io.crosslink.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Makes sure servers we start do not outlive us. Elasticsearch ({@code -d}) and PostgreSQL detach from
 * their parent, so a killed JVM would leave them running. For every watched process the reaper
 * (1) records its PID (with its start time, to survive PID reuse) under the stack's state folder and
 * (2) starts a detached shell watchdog that kills the process once this JVM is gone. Creating a reaper
 * for a stack first kills whatever a previous, killed run of that stack recorded.
 */
public final class ProcessReaper {
    private static final Logger LOG = Logger.getLogger(ProcessReaper.class);

    private final Path pidDir;
    /** The watchdog shell of each watched PID, stopped by {@link #forget}. */
    private final java.util.Map<Long, ProcessHandle> watchdogs = new java.util.concurrent.ConcurrentHashMap<>();

    private ProcessReaper(Path pidDir) {
        this.pidDir = pidDir;
    }

    /** A reaper for one stack ("local", "test-cloud-sim", ...): stacks never reap each other's processes. */
    public static ProcessReaper forStack(String stackName) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "crosslink-" + stackName, "pids");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        ProcessReaper reaper = new ProcessReaper(dir);
        reaper.killLeftovers();
        return reaper;
    }

    /** Records the process and kills it when this JVM dies, however it dies. */
    public void watch(String name, long pid) {
        try {
            Files.writeString(pidDir.resolve(pid + ".pid"), pid + " " + startTime(pid).orElse("?") + " " + name + "\n");
            long self = ProcessHandle.current().pid();
            // "echo $$" tells us the shell's PID: setsid forks when it is a process group leader, so the
            // Process we start may be gone at once while the shell lives on.
            String script = "echo $$; exec >/dev/null 2>&1; "
                    + "while kill -0 " + self + " 2>/dev/null; do sleep 1; done; "
                    + "kill -TERM " + pid + " 2>/dev/null; sleep 10; kill -KILL " + pid + " 2>/dev/null; "
                    + "rm -f '" + pidDir.resolve(pid + ".pid") + "'";
            Process starter = new ProcessBuilder("setsid", "sh", "-c", script)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            try (java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(starter.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))) {
                String line = out.readLine();
                if (line != null && !line.isBlank()) {
                    ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(watchdog -> {
                        ProcessHandle previous = watchdogs.put(pid, watchdog);
                        if (previous != null) {
                            stopWatchdog(previous);
                        }
                    });
                }
            } catch (NumberFormatException e) {
                LOG.debugf("no watchdog PID for %d: %s", pid, e);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot watch " + name + " (pid " + pid + ")", e);
        }
    }

    /** Called after a clean stop: the record goes, and so does the watchdog (it must not kill a reused PID later). */
    public void forget(long pid) {
        ProcessHandle watchdog = watchdogs.remove(pid);
        if (watchdog != null) {
            stopWatchdog(watchdog);
        }
        try {
            Files.deleteIfExists(pidDir.resolve(pid + ".pid"));
        } catch (IOException e) {
            LOG.debugf("cannot delete pid record %d: %s", pid, e);
        }
    }

    private static void stopWatchdog(ProcessHandle watchdog) {
        watchdog.descendants().forEach(ProcessHandle::destroy);
        watchdog.destroy();
    }

    /** Kills a process (TERM, then KILL after the grace period) and waits for it to be gone. */
    public static void terminate(long pid, long graceSeconds) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroy();
        try {
            handle.get().onExit().get(graceSeconds, TimeUnit.SECONDS);
        } catch (Exception timeout) {
            handle.get().destroyForcibly();
            try {
                handle.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                LOG.warnf("process %d did not exit after SIGKILL", pid);
            }
        }
    }

    private void killLeftovers() {
        List<Path> records;
        try (Stream<Path> files = Files.list(pidDir)) {
            records = files.filter(p -> p.toString().endsWith(".pid")).toList();
        } catch (IOException e) {
            return;
        }
        for (Path record : records) {
            try {
                String[] fields = Files.readString(record).trim().split(" ", 3);
                long pid = Long.parseLong(fields[0]);
                if (startTime(pid).map(fields[1]::equals).orElse(false)) {
                    LOG.warnf("killing %s (pid %d) left over by an earlier run", fields.length > 2 ? fields[2] : "?", pid);
                    terminate(pid, 5);
                }
                Files.deleteIfExists(record);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("ignoring pid record %s: %s", record, e);
            }
        }
    }

    /** Field 22 of /proc/PID/stat: the process start time in clock ticks since boot. */
    private static Optional<String> startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            return Optional.of(afterName.split(" ")[19]);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

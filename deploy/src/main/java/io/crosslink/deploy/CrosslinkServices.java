package io.crosslink.deploy;

import io.crosslink.infra.ProcessReaper;
import io.crosslink.infra.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.ToIntFunction;

/** The four services of one stack as child JVMs, started together (they start in parallel) and stopped together. */
public final class CrosslinkServices implements AutoCloseable {
    private final Map<CrosslinkService, ServiceProcess> processes;

    private CrosslinkServices(Map<CrosslinkService, ServiceProcess> processes) {
        this.processes = processes;
    }

    /**
     * Launches every service (without waiting: call {@link #awaitReady}) from the fast-jars under {@code root},
     * with the wiring's configuration, its HTTP port from {@code port} (0 = a free one) and its config and log
     * file in {@code workDir}. Every jar is checked first, so a missing build fails before anything starts.
     */
    public static CrosslinkServices start(Path root, ServiceWiring wiring, ToIntFunction<CrosslinkService> port, Path workDir,
            ProcessReaper reaper) {
        for (CrosslinkService service : CrosslinkService.values()) {
            if (!service.jar(root).toFile().isFile()) {
                throw new IllegalStateException(service.jar(root) + " is missing: build first (./mvnw -B install -DskipTests)");
            }
        }
        Map<CrosslinkService, ServiceProcess> processes = new EnumMap<>(CrosslinkService.class);
        try {
            for (CrosslinkService service : CrosslinkService.values()) {
                processes.put(service, ServiceProcess.builder(service.module(), service.jar(root))
                        .port(port.applyAsInt(service))
                        .config(wiring.configFor(service))
                        .workDir(workDir)
                        .start(reaper));
            }
        } catch (RuntimeException e) {
            new CrosslinkServices(processes).close();
            throw e;
        }
        return new CrosslinkServices(processes);
    }

    /** Waits until every service is ready; fails as soon as one fails (exits, or times out) with its log tail. */
    public void awaitReady(Duration timeout) {
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceProcess process : processes.values()) {
            ready.add(CompletableFuture.runAsync(() -> process.awaitReady(timeout))
                    .whenComplete((done, failure) -> {
                        if (failure != null) {
                            firstFailure.completeExceptionally(failure);
                        }
                    }));
        }
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)), firstFailure).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    public ServiceProcess get(CrosslinkService service) {
        return processes.get(service);
    }

    public Map<CrosslinkService, ServiceProcess> all() {
        return Map.copyOf(processes);
    }

    /** Stops every service (in parallel; each SIGTERM first). */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ServiceProcess process : processes.values()) {
            stops.add(CompletableFuture.runAsync(process::stop));
        }
        stops.forEach(stop -> {
            try {
                stop.join();
            } catch (CompletionException e) {
                System.err.println("stopping a service failed: " + e.getCause());
            }
        });
    }
}

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

/**
 * Instances of the four services of one stack as child JVMs, started together (they start in parallel) and stopped
 * together. Every instance of a service has the same configuration (one consumer group, one database) but its own
 * HTTP port and its own name ({@link CrosslinkService#instanceName}: config and log file).
 */
public final class CrosslinkServices implements AutoCloseable {
    /** A service instance's HTTP port: 0 picks a free one. */
    @FunctionalInterface
    public interface Ports {
        int port(CrosslinkService service, int instance);
    }

    /** Per service, its instances in order. */
    private final Map<CrosslinkService, List<ServiceProcess>> processes;

    private CrosslinkServices(Map<CrosslinkService, List<ServiceProcess>> processes) {
        this.processes = processes;
    }

    /**
     * Launches one instance of every service (without waiting: call {@link #awaitReady}) from the fast-jars under
     * {@code root}, with the wiring's configuration, its HTTP port from {@code port} (0 = a free one) and its config and
     * log file in {@code workDir}. Every jar is checked first, so a missing build fails before anything starts.
     */
    public static CrosslinkServices start(Path root, ServiceWiring wiring, ToIntFunction<CrosslinkService> port, Path workDir,
            ProcessReaper reaper) {
        return start(root, wiring, 0, 1, (service, instance) -> port.applyAsInt(service), workDir, reaper);
    }

    /**
     * Launches instances {@code first} … {@code first + count - 1} of every service (0 is the first instance, named
     * after the module; see {@link CrosslinkService#instanceName}), without waiting: call {@link #awaitReady}.
     */
    public static CrosslinkServices start(Path root, ServiceWiring wiring, int first, int count, Ports port, Path workDir,
            ProcessReaper reaper) {
        if (first < 0 || count < 1) {
            throw new IllegalArgumentException("instances " + first + " + " + count);
        }
        for (CrosslinkService service : CrosslinkService.values()) {
            if (!service.jar(root).toFile().isFile()) {
                throw new IllegalStateException(service.jar(root) + " is missing: build first (./mvnw -B install -DskipTests)");
            }
        }
        Map<CrosslinkService, List<ServiceProcess>> processes = new EnumMap<>(CrosslinkService.class);
        try {
            for (int instance = first; instance < first + count; instance++) {
                for (CrosslinkService service : CrosslinkService.values()) {
                    processes.computeIfAbsent(service, s -> new ArrayList<>()).add(
                            ServiceProcess.builder(service.instanceName(instance), service.jar(root))
                                    .port(port.port(service, instance))
                                    .managementPort(CrosslinkService.managementPortFor(port.port(service, instance)))
                                    .config(wiring.configFor(service, instance))
                                    .workDir(workDir)
                                    .start(reaper));
                }
            }
        } catch (RuntimeException e) {
            new CrosslinkServices(processes).close();
            throw e;
        }
        return new CrosslinkServices(processes);
    }

    /** Waits until every instance is ready; fails as soon as one fails (exits, or times out) with its log tail. */
    public void awaitReady(Duration timeout) {
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceProcess process : processes()) {
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

    /** The service's first instance started here. */
    public ServiceProcess get(CrosslinkService service) {
        return processes.get(service).get(0);
    }

    /** The service's instances started here, in order. */
    public List<ServiceProcess> instances(CrosslinkService service) {
        return List.copyOf(processes.get(service));
    }

    /** The first instance of every service. */
    public Map<CrosslinkService, ServiceProcess> all() {
        Map<CrosslinkService, ServiceProcess> first = new EnumMap<>(CrosslinkService.class);
        processes.forEach((service, instances) -> first.put(service, instances.get(0)));
        return Map.copyOf(first);
    }

    /** Every instance of every service. */
    public List<ServiceProcess> processes() {
        return processes.values().stream().flatMap(List::stream).toList();
    }

    /** Stops every instance (in parallel; each SIGTERM first). */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ServiceProcess process : processes()) {
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

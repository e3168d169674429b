package io.crosslink.elastic.health;

import io.crosslink.elastic.CloudApi;
import io.crosslink.elastic.CloudTarget;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.ElasticClientConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether each configured Cloud API answers, read off the request path: a prober asks every environment for
 * {@code GET /api/v1/account} every {@code crosslink.elastic.reachability-interval} on threads of its own, and health
 * reports the last reading. A probe of a slow environment is never started twice, and it never blocks a health
 * request, a consumer or a worker.
 */
@ApplicationScoped
public class CloudReachability {
    private static final int MAX_PROBE_THREADS = 4;

    private final CloudApi cloud;
    private final Instance<CloudEnvironments> environments;
    private final ElasticClientConfig config;
    private final Clock clock;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();
    private final Set<String> probing = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;
    private ExecutorService probes;

    public CloudReachability(CloudApi cloud, Instance<CloudEnvironments> environments, ElasticClientConfig config) {
        this.cloud = cloud;
        this.environments = environments;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** What the last probe of an environment found; {@code reachable} means it answered HTTP at all. */
    public record Reading(boolean reachable, String detail, long millis, Instant checkedAt) {

        public String describe() {
            return (reachable ? "reachable" : "unreachable") + " (" + detail + ", " + millis + " ms, at " + checkedAt
                    + ")";
        }
    }

    void start(@Observes StartupEvent event) {
        if (!environments.isResolvable() || environments.get().all().isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(daemon("cloud-reachability"));
        probes = Executors.newFixedThreadPool(Math.min(MAX_PROBE_THREADS, environments.get().all().size()),
                daemon("cloud-probe"));
        timer.scheduleWithFixedDelay(this::probeAll, 0, config.reachabilityInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            probes.shutdownNow();
        }
    }

    /** The environments configured here, each with its last reading (none yet: not in the map). */
    public boolean hasEnvironments() {
        return environments.isResolvable() && !environments.get().all().isEmpty();
    }

    public SortedMap<String, Reading> readings() {
        return new TreeMap<>(readings);
    }

    private void probeAll() {
        environments.get().all().forEach((name, target) -> {
            if (probing.add(name)) {
                probes.execute(() -> {
                    try {
                        readings.put(name, probe(target));
                    } finally {
                        probing.remove(name);
                    }
                });
            }
        });
    }

    /** One probe; any HTTP answer is "reachable", with its status (a 401 says the API key was refused). */
    Reading probe(CloudTarget target) {
        long start = System.nanoTime();
        try {
            ElasticAnswer answer = cloud.account(target);
            String detail = answer.ok() ? "HTTP " + answer.status()
                    : "HTTP " + answer.status() + " " + answer.failure().type();
            return new Reading(true, detail, elapsedMillis(start), clock.instant());
        } catch (ElasticCallException e) {
            // The failure's type only: its reason is already redacted, but the type says enough and holds no URL.
            return new Reading(false, e.failure().type(), elapsedMillis(start), clock.instant());
        } catch (RuntimeException e) {
            return new Reading(false, e.getClass().getSimpleName(), elapsedMillis(start), clock.instant());
        }
    }

    private static long elapsedMillis(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}

package io.crosslink.runtime.metrics;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refreshes every {@link DatabaseGauge} of the service every {@code crosslink.metrics.refresh-interval} (15 s), on
 * one thread of its own: what a gauge shows is at most that old, and scrapes, however frequent, cost no query. A
 * failed read (the database away) keeps the last values and is tried again at the next interval.
 */
@ApplicationScoped
public class DatabaseGauges {
    private static final Logger LOG = Logger.getLogger(DatabaseGauges.class);

    @Inject
    @Any
    Instance<DatabaseGauge> gauges;

    @ConfigProperty(name = "crosslink.metrics.refresh-interval", defaultValue = "15s")
    Duration interval;

    private ScheduledExecutorService executor;

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "crosslink-metrics");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Reads every gauge now (tests call it rather than wait for the interval). */
    public synchronized void refresh() {
        for (DatabaseGauge gauge : gauges) {
            try {
                QuarkusTransaction.requiringNew().run(gauge::refresh);
            } catch (RuntimeException e) {
                LOG.warnf("metrics: reading %s failed, keeping its last values: %s", name(gauge), e.getMessage());
            }
        }
    }

    private static String name(DatabaseGauge gauge) {
        return gauge.getClass().getSimpleName().replace("_ClientProxy", "");
    }
}

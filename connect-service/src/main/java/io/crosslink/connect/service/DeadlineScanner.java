package io.crosslink.connect.service;

import io.crosslink.connect.config.ConnectConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Looks for overdue sagas ({@link SagaDeadline}) every scan interval; database work only, no Elastic call. */
@ApplicationScoped
public class DeadlineScanner {
    private static final Logger LOG = Logger.getLogger(DeadlineScanner.class);

    private final SagaDeadline deadline;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public DeadlineScanner(SagaDeadline deadline, ConnectConfig config) {
        this.deadline = deadline;
        this.interval = config.saga().deadlineScan();
    }

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "connect-saga-deadline");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::scan, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void scan() {
        try {
            deadline.expireOverdue();
        } catch (RuntimeException e) {
            LOG.warnf("deadline scan interrupted, retrying in %s: %s", interval, e.getMessage());
        }
    }
}

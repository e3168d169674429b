package io.crosslink.runtime.work;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.runtime.metrics.DatabaseGauges;
import io.crosslink.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the dispatcher records of each run, and the work waiting per deployment, on a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "runtime"))
class WorkMetricsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    WorkQueue queue;

    @Inject
    MeterRegistry registry;

    @Inject
    PrometheusMeterRegistry prometheus;

    @Inject
    DatabaseGauges gauges;

    @Inject
    TestHandlers.Blocking blocking;

    /** Throws on its first run, done on the second: one retry. */
    @Singleton
    static class FailsOnce implements WorkHandler {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String kind() {
            return "fails-once";
        }

        @Override
        public WorkResult run(Work work) {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("Elastic answered 503");
            }
            return WorkResult.done();
        }
    }

    private long enqueue(String kind, String connectionId, String payload, String... deployments) {
        return QuarkusTransaction.requiringNew().call(() -> queue.enqueue(kind, connectionId, List.of(deployments),
                "test", payload).id);
    }

    private WorkItem item(long id) {
        return QuarkusTransaction.requiringNew().call(() -> WorkItem.<WorkItem>findById(id));
    }

    private Timer runs(String kind, String outcome) {
        return registry.find(WorkMetrics.DURATION).tags("kind", kind, "outcome", outcome).timer();
    }

    private double waiting(String deployment, String state) {
        Gauge gauge = registry.find(WorkWaitingGauge.NAME).tags("deployment", deployment, "state", state).gauge();
        assertNotNull(gauge, "no gauge for " + deployment + " " + state);
        return gauge.value();
    }

    @Test
    void aRunThatFailsThenSucceedsIsOneRetryAndTwoTimedRuns() {
        long id = enqueue("fails-once", "metrics-" + UUID.randomUUID(), "f", "ece/metrics");
        await().atMost(PATIENCE).until(() -> item(id).state == WorkState.DONE);

        assertEquals(1, runs("fails-once", "failed").count());
        assertEquals(1, runs("fails-once", "done").count());
        assertEquals(0, runs("fails-once", "parked").count());
        assertEquals(1.0, registry.find(WorkMetrics.RETRIES).tags("kind", "fails-once").counter().count());
        assertTrue(runs("fails-once", "failed").totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);

        gauges.refresh();
        assertEquals(0.0, waiting("ece/metrics", WorkWaitingGauge.DUE), "a deployment that had work has its series");
    }

    @Test
    void everyKindsSeriesExistFromTheStartUnderThePrometheusNamesTheDashboardUses() {
        assertNotNull(runs("parking", "failed"), "registered before any such run");
        String scrape = prometheus.scrape();
        assertTrue(scrape.contains("crosslink_work_duration_seconds_count{kind=\"parking\",outcome=\"failed\",} 0.0")
                || scrape.contains("crosslink_work_duration_seconds_count{kind=\"parking\",outcome=\"failed\"} 0"),
                scrape);
        assertTrue(scrape.lines().anyMatch(line -> line.startsWith("crosslink_work_duration_seconds_bucket{")
                && line.contains("kind=\"parking\"") && line.contains("le=\"0.5\"")), "buckets in " + scrape);
        assertTrue(scrape.contains("crosslink_work_retries_total{kind=\"parking\""), "retries");
    }

    @Test
    void workWaitingCountsDueAndParkedItemsPerDeploymentButNotRunningOnes() {
        blocking.slowAnswers = new CountDownLatch(1);
        List<Long> slow = new ArrayList<>();
        try {
            // Two run (per-deployment 2) and hold the deployment; the third is due and waits for a permit.
            for (int i = 0; i < 3; i++) {
                slow.add(enqueue("blocking", "metrics-slow-" + UUID.randomUUID(), "m" + i, "metrics/slow"));
            }
            // No handler of this kind: its run parks it for a minute.
            String parkedConnection = "metrics-parked-" + UUID.randomUUID();
            long parked = enqueue("no-such-kind", parkedConnection, "p", "metrics/parked", "metrics/other");
            await().atMost(PATIENCE).until(() -> item(parked).attempts == 1
                    && slow.stream().filter(id -> item(id).leaseUntil != null).count() == 2);

            gauges.refresh();
            assertEquals(1.0, waiting("metrics/slow", WorkWaitingGauge.DUE), "the third, waiting for a permit");
            assertEquals(0.0, waiting("metrics/slow", WorkWaitingGauge.PARKED));
            assertEquals(0.0, waiting("metrics/parked", WorkWaitingGauge.DUE));
            assertEquals(1.0, waiting("metrics/parked", WorkWaitingGauge.PARKED));
            assertEquals(1.0, waiting("metrics/other", WorkWaitingGauge.PARKED), "an item counts for each deployment");

            QuarkusTransaction.requiringNew().run(() -> queue.cancel(parkedConnection, "no-such-kind"));
            blocking.slowAnswers.countDown();
            await().atMost(PATIENCE).until(() -> slow.stream().allMatch(id -> item(id).state == WorkState.DONE));
            gauges.refresh();
            assertEquals(0.0, waiting("metrics/slow", WorkWaitingGauge.DUE), "a drained deployment stays, at 0");
            assertEquals(0.0, waiting("metrics/parked", WorkWaitingGauge.PARKED));
        } finally {
            blocking.slowAnswers.countDown();
        }
    }

    @Test
    void aDeploymentWithoutAKnownIdIsNeverTaggedWithAConnection() {
        assertEquals("unknown", WorkWaitingGauge.tagOf("unknown/3f1c0d2e-connection-id"));
        assertEquals("ece/c0ffee", WorkWaitingGauge.tagOf("ece/c0ffee"));
    }
}

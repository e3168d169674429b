package io.crosslink.runtime.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.runtime.metrics.DatabaseGauges;
import io.crosslink.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbox's lag and backlog, read from a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "runtime"))
class OutboxLagGaugeTest {

    @Inject
    MeterRegistry registry;

    @Inject
    DatabaseGauges gauges;

    @AfterEach
    void empty() {
        QuarkusTransaction.requiringNew().run(() -> OutboxMessage.deleteAll());
    }

    private double gauge(String name) {
        return registry.find(name).gauge().value();
    }

    @Test
    void theLagIsTheAgeOfTheOldestRowNotYetPublished() {
        QuarkusTransaction.requiringNew().run(() -> OutboxMessage.deleteAll());
        gauges.refresh();
        assertEquals(0.0, gauge(OutboxLagGauge.LAG), "an empty outbox lags nothing");
        assertEquals(0.0, gauge(OutboxLagGauge.PENDING));

        QuarkusTransaction.requiringNew().run(() -> {
            row(Instant.now().minusSeconds(42));
            row(Instant.now().minusSeconds(5));
        });
        gauges.refresh();
        double lag = gauge(OutboxLagGauge.LAG);
        assertTrue(lag >= 42 && lag < 60, "lag " + lag);
        assertEquals(2.0, gauge(OutboxLagGauge.PENDING));
    }

    private static void row(Instant createdAt) {
        OutboxMessage row = new OutboxMessage();
        row.messageId = UUID.randomUUID().toString();
        row.topic = "connect-events";
        row.recordKey = "lagging-connection";
        row.ceType = "crosslink.Test";
        row.payload = "{}";
        row.createdAt = createdAt;
        row.persist();
    }
}

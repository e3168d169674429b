package io.crosslink.runtime.messaging;

import io.crosslink.runtime.metrics.DatabaseGauge;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the outbox is behind: {@code crosslink.outbox.lag} (seconds), the age of the oldest row not yet
 * acknowledged by Kafka (0 when the outbox is empty), and {@code crosslink.outbox.pending}, the rows waiting. Rows go
 * as soon as Kafka acknowledged them, so a lag that grows means the relay cannot publish (Kafka away, a send
 * failing). Read from the shared table: every instance shows the same numbers.
 */
@ApplicationScoped
public class OutboxLagGauge implements DatabaseGauge {
    static final String LAG = "crosslink.outbox.lag";
    static final String PENDING = "crosslink.outbox.pending";

    private final AtomicLong lagMillis = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

    public OutboxLagGauge(MeterRegistry registry) {
        Gauge.builder(LAG, lagMillis, millis -> millis.get() / 1000.0)
                .description("Age of the oldest outbox row not yet published to Kafka (0: none waiting)")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
        Gauge.builder(PENDING, pending, AtomicLong::get)
                .description("Outbox rows not yet published to Kafka")
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void refresh() {
        Object[] row = OutboxMessage.getEntityManager()
                .createQuery("select min(o.createdAt), count(o) from OutboxMessage o", Object[].class)
                .getSingleResult();
        Instant oldest = (Instant) row[0];
        lagMillis.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis()));
        pending.set(((Number) row[1]).longValue());
    }
}

package io.crosslink.connect.service;

import io.crosslink.connect.domain.Connection;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.SecurityModel;
import io.crosslink.runtime.metrics.DatabaseGauge;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The saga as a whole, which connect-service owns:
 * <ul>
 * <li>{@code crosslink.saga.duration{model, outcome}}: from the connection's creation to the end of its saga
 * ({@link io.crosslink.connect.domain.StatusFolding#endsSaga}: outcome {@code verified}, {@code rejected},
 * {@code compensated} or {@code failed}), recorded once per connection, after the commit that ended it;</li>
 * <li>{@code crosslink.connections{status}}: connections by status, read from the database every
 * {@code crosslink.metrics.refresh-interval} (the same on every instance: take the max across instances).</li>
 * </ul>
 * Every series exists from the start, at 0.
 */
@ApplicationScoped
public class SagaMetrics implements DatabaseGauge {
    static final String DURATION = "crosslink.saga.duration";
    static final String CONNECTIONS = "crosslink.connections";
    static final List<ConnectionStatus> OUTCOMES = List.of(ConnectionStatus.VERIFIED, ConnectionStatus.REJECTED,
            ConnectionStatus.COMPENSATED, ConnectionStatus.FAILED);
    /** From a rejection in the checks (well under a second) to a compensation at the saga's deadline and beyond. */
    private static final Duration[] BUCKETS = { Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20) };

    /** A saga ended: fired in the transaction that ended it, recorded once that transaction committed. */
    public record Ended(SecurityModel model, ConnectionStatus outcome, Duration duration) {
    }

    private final MeterRegistry registry;
    private final Map<ConnectionStatus, AtomicLong> byStatus = new EnumMap<>(ConnectionStatus.class);

    public SagaMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (SecurityModel model : SecurityModel.values()) {
            OUTCOMES.forEach(outcome -> timer(model, outcome));
        }
        for (ConnectionStatus status : ConnectionStatus.values()) {
            AtomicLong count = new AtomicLong();
            byStatus.put(status, count);
            Gauge.builder(CONNECTIONS, count, AtomicLong::get)
                    .description("Connections by status")
                    .tag("status", status.name())
                    .strongReference(true)
                    .register(registry);
        }
    }

    void ended(@Observes(during = TransactionPhase.AFTER_SUCCESS) Ended ended) {
        timer(ended.model(), ended.outcome()).record(ended.duration());
    }

    @Override
    public void refresh() {
        Map<ConnectionStatus, Long> counts = new EnumMap<>(ConnectionStatus.class);
        Connection.getEntityManager()
                .createQuery("select c.status, count(c) from Connection c group by c.status", Object[].class)
                .getResultList()
                .forEach(row -> counts.put((ConnectionStatus) row[0], ((Number) row[1]).longValue()));
        byStatus.forEach((status, count) -> count.set(counts.getOrDefault(status, 0L)));
    }

    private Timer timer(SecurityModel model, ConnectionStatus outcome) {
        return Timer.builder(DURATION)
                .description("Sagas from the request to their end (verified, rejected, compensated, failed)")
                .tag("model", model.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}

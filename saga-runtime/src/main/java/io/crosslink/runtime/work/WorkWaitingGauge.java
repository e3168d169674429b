package io.crosslink.runtime.work;

import io.crosslink.runtime.metrics.DatabaseGauge;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code crosslink.work.waiting{deployment, state}}: the pending work items that name each deployment and run
 * nowhere now, {@code state=due} (due: waiting for a worker or the deployment's permits) or {@code parked} (due
 * later: backoff, Retry-After, a plan to wait for). An item naming two deployments counts for each. Read from the
 * shared {@code work_item} table, so every instance of a service shows the same numbers (take the max, not the sum,
 * across instances). A deployment once seen stays, at 0 when nothing waits for it; deployments are a bounded set.
 */
@ApplicationScoped
public class WorkWaitingGauge implements DatabaseGauge {
    static final String NAME = "crosslink.work.waiting";
    static final String DUE = "due";
    static final String PARKED = "parked";
    private static final String UNKNOWN_ENVIRONMENT = "unknown/";

    private final MeterRegistry registry;
    private final Map<Series, AtomicLong> values = new ConcurrentHashMap<>();
    /** The newest item whose deployments are known: each refresh learns those of newer items only. */
    private long seenUpTo;

    public WorkWaitingGauge(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void refresh() {
        learnDeployments();
        Instant now = Instant.now();
        Map<String, Long> due = count("w.dueAt <= :now", now);
        Map<String, Long> parked = count("w.dueAt > :now", now);
        due.keySet().forEach(this::known);
        parked.keySet().forEach(this::known);
        values.forEach((series, value) -> value.set((DUE.equals(series.state()) ? due : parked)
                .getOrDefault(series.deployment(), 0L)));
    }

    /**
     * Every deployment that had work, in any state and by any instance: its series exist from then on (and after a
     * restart, for the items within the retention). Reads the items queued since the last refresh, by primary key.
     */
    private void learnDeployments() {
        List<Object[]> rows = WorkItem.getEntityManager().createQuery("select w.deployments, max(w.id) from WorkItem w"
                + " where w.id > :seen group by w.deployments", Object[].class)
                .setParameter("seen", seenUpTo)
                .getResultList();
        for (Object[] row : rows) {
            WorkQueue.deploymentsOf((String) row[0]).forEach(deployment -> known(tagOf(deployment)));
            seenUpTo = Math.max(seenUpTo, ((Number) row[1]).longValue());
        }
    }

    /** Pending items not leased (not running), per deployment tag, of those matching {@code when}. */
    private static Map<String, Long> count(String when, Instant now) {
        List<Object[]> rows = WorkItem.getEntityManager().createQuery("select w.deployments, count(w) from WorkItem w"
                + " where w.state = :pending and (w.leaseUntil is null or w.leaseUntil <= :now) and " + when
                + " group by w.deployments", Object[].class)
                .setParameter("pending", WorkState.PENDING)
                .setParameter("now", now)
                .getResultList();
        Map<String, Long> counts = new HashMap<>();
        for (Object[] row : rows) {
            long count = ((Number) row[1]).longValue();
            WorkQueue.deploymentsOf((String) row[0])
                    .forEach(deployment -> counts.merge(tagOf(deployment), count, Long::sum));
        }
        return counts;
    }

    /**
     * The deployment as a tag: {@code <environment>/<deploymentId>}, except the stand-in a step without a known
     * deployment is queued under ({@code unknown/<connection id>}): a connection id is never a tag.
     */
    static String tagOf(String deployment) {
        return deployment.startsWith(UNKNOWN_ENVIRONMENT) ? "unknown" : deployment;
    }

    private void known(String deployment) {
        for (String state : List.of(DUE, PARKED)) {
            values.computeIfAbsent(new Series(state, deployment), key -> {
                AtomicLong value = new AtomicLong();
                Gauge.builder(NAME, value, AtomicLong::get)
                        .description("Pending work items per deployment, not running: due (waiting for a worker or"
                                + " permit) or parked (due later)")
                        .tag("deployment", deployment)
                        .tag("state", state)
                        .strongReference(true)
                        .register(registry);
                return value;
            });
        }
    }

    private record Series(String state, String deployment) {
    }
}

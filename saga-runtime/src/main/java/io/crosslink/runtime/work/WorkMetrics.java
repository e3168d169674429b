package io.crosslink.runtime.work;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * What the dispatcher records of each run of a work item (one saga step, or one try of it):
 * <ul>
 * <li>{@code crosslink.work.duration{kind, outcome}}: how long the handler ran, {@code outcome} {@code done},
 * {@code parked} (it asked to run again later) or {@code failed} (it threw: parked with backoff);</li>
 * <li>{@code crosslink.work.retries{kind}}: runs after which the item runs again (parked or failed).</li>
 * </ul>
 * Tags are the handler's kind and the outcome only, never a connection: both are small fixed sets.
 */
final class WorkMetrics {
    static final String DURATION = "crosslink.work.duration";
    static final String RETRIES = "crosslink.work.retries";
    static final String DONE = "done";
    static final String PARKED = "parked";
    static final String FAILED = "failed";
    private static final List<String> OUTCOMES = List.of(DONE, PARKED, FAILED);
    /** Histogram buckets from a quick Elasticsearch call to a run that met its calls' timeouts. */
    private static final Duration[] BUCKETS = { Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60) };

    private final MeterRegistry registry;

    WorkMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers every series of these kinds, so they are scraped (at 0) before the first run. */
    void register(Collection<String> kinds) {
        for (String kind : kinds) {
            OUTCOMES.forEach(outcome -> timer(kind, outcome));
            retries(kind);
        }
    }

    void ran(String kind, String outcome, long nanos) {
        timer(kind, outcome).record(Duration.ofNanos(nanos));
        if (!DONE.equals(outcome)) {
            retries(kind).increment();
        }
    }

    private Timer timer(String kind, String outcome) {
        return Timer.builder(DURATION)
                .description("Runs of work items (saga steps) by kind and outcome")
                .tag("kind", kind)
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private Counter retries(String kind) {
        return Counter.builder(RETRIES)
                .description("Runs of work items that end parked or failed: the item runs again later")
                .tag("kind", kind)
                .register(registry);
    }
}

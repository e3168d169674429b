package io.crosslink.runtime.work;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Handlers the dispatcher tests drive: they record what ran, at once and alongside what. */
final class TestHandlers {
    private TestHandlers() {
    }

    /** Counts concurrent runs per deployment and per connection, with their maximum. */
    static final class Concurrency {
        final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> max = new ConcurrentHashMap<>();

        void enter(String key) {
            int current = now.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            max.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(current, Math::max);
        }

        void leave(String key) {
            now.get(key).decrementAndGet();
        }

        int max(String key) {
            AtomicInteger value = max.get(key);
            return value == null ? 0 : value.get();
        }

        void clear() {
            now.clear();
            max.clear();
        }
    }

    /** Blocks every item of a deployment named "slow" until released: a deployment that does not answer. */
    @Singleton // no client proxy: the tests read these fields directly
    static class Blocking implements WorkHandler {
        final Concurrency concurrency = new Concurrency();
        final List<String> finished = new CopyOnWriteArrayList<>();
        volatile CountDownLatch slowAnswers = new CountDownLatch(1);

        @Override
        public String kind() {
            return "blocking";
        }

        @Override
        public WorkResult run(Work work) {
            work.deployments().forEach(concurrency::enter);
            concurrency.enter("connection:" + work.connectionId());
            try {
                if (work.deployments().stream().anyMatch(d -> d.endsWith("/slow"))) {
                    slowAnswers.await(60, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(50); // long enough for overlapping runs to show
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrency.leave("connection:" + work.connectionId());
                work.deployments().forEach(concurrency::leave);
            }
            finished.add(work.payload());
            return WorkResult.done();
        }
    }

    /** Parks once with a checkpoint, then finishes: what a plan wait does. */
    @Singleton // no client proxy: the tests read these fields directly
    static class Parking implements WorkHandler {
        final List<String> seenCheckpoints = new CopyOnWriteArrayList<>();

        @Override
        public String kind() {
            return "parking";
        }

        @Override
        public WorkResult run(Work work) {
            seenCheckpoints.add(work.checkpoint().orElse("none"));
            if (work.checkpoint().isEmpty()) {
                return WorkResult.park(Duration.ofMillis(300), "waiting:" + work.payload(), "plan pending");
            }
            return WorkResult.done();
        }
    }

    /** Throws the first two runs: the dispatcher's backoff parks it. */
    @Singleton // no client proxy: the tests read these fields directly
    static class Failing implements WorkHandler {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String kind() {
            return "failing";
        }

        @Override
        public WorkResult run(Work work) {
            if (runs.incrementAndGet() <= 2) {
                throw new IllegalStateException("Elastic said no, Authorization: ApiKey c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3Qtc2hvdw==");
            }
            return WorkResult.done();
        }
    }

    /** Records the logging MDC's connection id each run sees: the connection its lines are logged against. */
    @Singleton // no client proxy: the tests read these fields directly
    static class Logging implements WorkHandler {
        final Map<String, String> seen = new ConcurrentHashMap<>();

        @Override
        public String kind() {
            return "logging";
        }

        @Override
        public WorkResult run(Work work) {
            Object logged = org.jboss.logging.MDC.get(io.crosslink.runtime.logging.ConnectionMdc.KEY);
            seen.put(work.payload(), logged == null ? "none" : logged.toString());
            return WorkResult.done();
        }
    }

    /** Records the trace the run sees: the current span's ids and the MDC's. */
    @Singleton // no client proxy: the tests read these fields directly
    static class Tracing implements WorkHandler {
        final Map<String, String> traceIds = new ConcurrentHashMap<>();
        final Map<String, String> spanIds = new ConcurrentHashMap<>();
        final Map<String, String> loggedTraceIds = new ConcurrentHashMap<>();

        @Override
        public String kind() {
            return "tracing";
        }

        @Override
        public WorkResult run(Work work) {
            io.opentelemetry.api.trace.SpanContext current = io.opentelemetry.api.trace.Span.current().getSpanContext();
            traceIds.put(work.payload(), current.getTraceId());
            spanIds.put(work.payload(), current.getSpanId());
            Object logged = org.jboss.logging.MDC.get(io.crosslink.runtime.tracing.SpanScope.TRACE_ID);
            loggedTraceIds.put(work.payload(), logged == null ? "none" : logged.toString());
            return WorkResult.done();
        }
    }
}

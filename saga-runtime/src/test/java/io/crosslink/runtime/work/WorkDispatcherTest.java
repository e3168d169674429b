package io.crosslink.runtime.work;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.runtime.tracing.Traceparent;
import io.crosslink.testsupport.PostgresTestResource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher on a real PostgreSQL: limits, isolation, one item per connection, parking, crash take-over. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "runtime"))
class WorkDispatcherTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    WorkQueue queue;

    @Inject
    TestHandlers.Blocking blocking;

    @Inject
    TestHandlers.Parking parking;

    @Inject
    TestHandlers.Failing failing;

    @Inject
    TestHandlers.Logging logging;

    @Inject
    TestHandlers.Tracing tracing;

    @Inject
    Tracer tracer;

    @BeforeEach
    void reset() {
        blocking.concurrency.clear();
        blocking.finished.clear();
        blocking.slowAnswers = new CountDownLatch(1);
    }

    @AfterEach
    void releaseSlowDeployment() {
        blocking.slowAnswers.countDown();
        await().atMost(PATIENCE).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> WorkItem.count("state", WorkState.PENDING)) == 0);
    }

    private long enqueue(String kind, String connectionId, String payload, String... deployments) {
        return QuarkusTransaction.requiringNew().call(() -> queue.enqueue(kind, connectionId, List.of(deployments),
                "test", payload).id);
    }

    private WorkItem item(long id) {
        return QuarkusTransaction.requiringNew().call(() -> WorkItem.<WorkItem>findById(id));
    }

    @Test
    void aDeploymentThatNeverAnswersDelaysNoOther() {
        List<Long> slow = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            slow.add(enqueue("blocking", "slow-" + UUID.randomUUID(), "slow-" + i, "ece/slow"));
        }
        List<Long> fast = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fast.add(enqueue("blocking", "fast-" + UUID.randomUUID(), "fast-" + i, "ess/fast", "ece/other"));
        }
        await().atMost(PATIENCE).until(() -> fast.stream().allMatch(id -> item(id).state == WorkState.DONE));
        assertTrue(slow.stream().noneMatch(id -> item(id).state == WorkState.DONE), "the slow deployment still holds");
        assertEquals(2, blocking.concurrency.max("ece/slow"), "the slow deployment got exactly its share of workers");
        assertTrue(blocking.concurrency.max("ess/fast") <= 2);
        blocking.slowAnswers.countDown();
        await().atMost(PATIENCE).until(() -> slow.stream().allMatch(id -> item(id).state == WorkState.DONE));
        assertTrue(blocking.concurrency.max("ece/slow") <= 2, "never more than per-deployment at once");
    }

    @Test
    void theItemsOfOneConnectionNeverOverlap() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(enqueue("blocking", "one-connection", "step-" + i, "ece/d" + i));
        }
        await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> item(id).state == WorkState.DONE));
        assertEquals(1, blocking.concurrency.max("connection:one-connection"));
        assertEquals(List.of("step-0", "step-1", "step-2", "step-3", "step-4", "step-5"), blocking.finished,
                "queued together, run oldest first");
    }

    @Test
    void eachRunLogsAgainstItsOwnConnection() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(enqueue("logging", "mdc-connection-" + i, "item-" + i, "ece/logs"));
        }
        await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> item(id).state == WorkState.DONE));
        for (int i = 0; i < 6; i++) {
            assertEquals("mdc-connection-" + i, logging.seen.get("item-" + i), "the pooled worker's MDC of item " + i);
        }
    }

    @Test
    void eachRunIsASpanOfTheTraceThatQueuedItsItem() {
        Span queuing = tracer.spanBuilder("queuing").startSpan();
        long id;
        try (Scope ignored = queuing.makeCurrent()) {
            id = enqueue("tracing", "traced", "t1", "ece/traced");
        } finally {
            queuing.end();
        }
        SpanContext queued = queuing.getSpanContext();
        assertTrue(queued.isValid(), "the test runs with tracing on");
        long untraced = enqueue("tracing", "untraced", "t2", "ece/traced");
        await().atMost(PATIENCE).until(() -> item(id).state == WorkState.DONE && item(untraced).state == WorkState.DONE);

        assertEquals(Traceparent.of(Context.root().with(queuing)), item(id).traceparent, "the item keeps the traceparent");
        assertEquals(queued.getTraceId(), tracing.traceIds.get("t1"), "the run continues the queuing trace");
        assertNotEquals(queued.getSpanId(), tracing.spanIds.get("t1"), "in a span of its own");
        assertEquals(queued.getTraceId(), tracing.loggedTraceIds.get("t1"), "its trace id is in the MDC");

        assertNull(item(untraced).traceparent, "queued outside any span");
        assertNotEquals(queued.getTraceId(), tracing.traceIds.get("t2"), "a run of an untraced item starts a trace");
        assertTrue(SpanContext.create(tracing.traceIds.get("t2"), tracing.spanIds.get("t2"),
                io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault())
                .isValid(), "and is traced all the same");
    }

    @Test
    void aParkedItemComesBackWithItsCheckpoint() {
        long id = enqueue("parking", "parked", "p1", "ece/plan");
        await().atMost(PATIENCE).until(() -> item(id).state == WorkState.DONE);
        WorkItem done = item(id);
        assertEquals(2, done.attempts);
        assertEquals("waiting:p1", done.checkpoint);
        assertEquals(List.of("none", "waiting:p1"), parking.seenCheckpoints);
        assertNull(done.leaseUntil);
    }

    @Test
    void aHandlerThatThrowsIsParkedWithBackoffAndItsErrorRedacted() {
        long id = enqueue("failing", "flaky", "f", "ece/flaky");
        await().atMost(PATIENCE).until(() -> item(id).attempts >= 1);
        WorkItem failed = item(id);
        assertEquals(WorkState.PENDING, failed.state);
        assertTrue(failed.lastError.contains("Elastic said no"), failed.lastError);
        assertFalse(failed.lastError.contains("c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3Qtc2hvdw"), "no secret in the row");
        await().atMost(PATIENCE).until(() -> item(id).state == WorkState.DONE);
        assertEquals(3, item(id).attempts);
    }

    @Test
    void anItemLeasedByACrashedInstanceIsTakenUpOnceTheLeaseRunsOut() {
        // Another instance claimed it an instant ago, then died: its lease still runs for a while. Queued and
        // leased in one transaction, so this instance's dispatcher never sees it unleased.
        long id = QuarkusTransaction.requiringNew().call(() -> {
            WorkItem orphan = queue.enqueue("blocking", "orphan", List.of("ece/crashed"), "test", "orphan");
            orphan.leaseUntil = Instant.now().plusSeconds(2);
            orphan.leaseOwner = "dead-instance";
            return orphan.id;
        });
        long leased = enqueue("blocking", "orphan", "queued-behind", "ece/crashed-too");
        await().atMost(PATIENCE).until(() -> item(id).state == WorkState.DONE && item(leased).state == WorkState.DONE);
        assertEquals(List.of("orphan", "queued-behind"), blocking.finished,
                "the connection's next item waited for the leased one");
    }

    @Test
    void cancellingSeveralKindsLeavesTheOthersPending() {
        long running = enqueue("blocking", "several", "running", "ece/slow");
        await().atMost(PATIENCE).until(() -> item(running).leaseUntil != null);
        long logged = enqueue("logging", "several", "logged", "ece/several");
        long parked = enqueue("parking", "several", "parked", "ece/several");
        long kept = enqueue("tracing", "several", "kept", "ece/several");
        long otherConnection = enqueue("logging", "not-several", "other", "ece/several");

        int cancelled = QuarkusTransaction.requiringNew()
                .call(() -> queue.cancel("several", List.of("logging", "parking")));

        assertEquals(2, cancelled, "the connection's items of those kinds only");
        assertEquals(WorkState.CANCELLED, item(logged).state);
        assertEquals(WorkState.CANCELLED, item(parked).state);
        blocking.slowAnswers.countDown();
        await().atMost(PATIENCE).until(() -> item(kept).state == WorkState.DONE
                && item(otherConnection).state == WorkState.DONE && item(running).state == WorkState.DONE);
        assertEquals(WorkState.CANCELLED, item(logged).state, "never run");
        assertEquals(0, item(parked).attempts);
    }

    @Test
    void aCancelledItemNeverRuns() {
        blocking.slowAnswers = new CountDownLatch(1);
        long first = enqueue("blocking", "cancelled", "first", "ece/slow");
        long second = enqueue("blocking", "cancelled", "second", "ece/slow");
        await().atMost(PATIENCE).until(() -> item(first).leaseUntil != null);
        int cancelled = QuarkusTransaction.requiringNew().call(() -> queue.cancel("cancelled", "blocking"));
        assertEquals(2, cancelled, "the running one too, so it is not run again; its run finishes");
        blocking.slowAnswers.countDown();
        await().atMost(PATIENCE).until(() -> blocking.finished.contains("first"));
        assertEquals(WorkState.CANCELLED, item(second).state);
        assertFalse(blocking.finished.contains("second"));
        await().atMost(PATIENCE).until(() -> item(first).attempts == 1);
        WorkItem ran = item(first);
        assertEquals(WorkState.CANCELLED, ran.state, "its recorded outcome does not undo the cancel");
        assertNull(ran.leaseUntil, "but releases its lease");
        assertNull(ran.leaseOwner);
    }
}

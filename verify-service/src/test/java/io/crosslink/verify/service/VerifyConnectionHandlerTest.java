package io.crosslink.verify.service;

import static io.crosslink.verify.support.FakeElasticsearch.recorded;
import static io.crosslink.verify.support.TestEvents.compensationStarted;
import static io.crosslink.verify.support.TestEvents.remoteConnected;
import static io.crosslink.verify.support.TestEvents.requested;
import static io.crosslink.verify.support.TestEvents.searchAccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.runtime.work.WorkState;
import io.crosslink.verify.client.ElasticsearchClient;
import io.crosslink.verify.domain.RetryPolicy;
import io.crosslink.verify.domain.VerificationState;
import io.crosslink.verify.support.FakeElasticsearch;
import io.crosslink.verify.support.InMemoryStore;
import io.crosslink.verify.support.InMemoryWork;
import io.crosslink.testsupport.MutableClock;
import io.crosslink.verify.support.RecordingLedger;
import io.crosslink.verify.support.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One run of the {@code verify-connection} work item, and what it tells the dispatcher: parked with the retry
 * policy's delay while not proven, done with ConnectionVerified or (past the deadline) VerificationFailed, done with
 * nothing said when the verification was cancelled or is no longer the item's.
 */
class VerifyConnectionHandlerTest {
    private static final String RESOLVE = "/_resolve/cluster/linked:*";
    private static final String REMOTE_INFO = "/_remote/info";
    private static final String SEARCH = "/linked:demo-*/_search?size=0";
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(60), Duration.ofMillis(500),
            Duration.ofSeconds(5));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final RecordingLedger ledger = new RecordingLedger();
    private final InMemoryWork work = new InMemoryWork(clock);
    private final FakeElasticsearch elasticsearch = new FakeElasticsearch();
    private final VerificationStep step = new VerificationStep(store, ledger, work, clock, POLICY);
    private final VerifyConnectionHandler handler = new VerifyConnectionHandler(step, new ConnectionProver(elasticsearch));

    @Test
    void itsKindIsVerifyConnectionOnTheLocalDeployment() {
        start("c1");

        InMemoryWork.Item item = work.item("c1");
        assertEquals("verify-connection", handler.kind());
        assertEquals("verify-connection", item.kind);
        assertEquals(List.of("ece/" + TestEvents.LOCAL_ID), item.deployments, "L, as environment/deployment id");
        assertEquals("crosslink.RemoteConnected", item.payloadType);
    }

    @Test
    void unprovenParksWithThePolicysDelay() {
        notConnected();
        start("c1");

        WorkResult.Park first = assertInstanceOf(WorkResult.Park.class, run("c1"));
        assertEquals(Duration.ofMillis(500), first.delay());
        assertTrue(first.reason().startsWith("remote_credentials_missing: "), first.reason());
        clock.advance(first.delay());
        WorkResult.Park second = assertInstanceOf(WorkResult.Park.class, run("c1"));
        assertEquals(Duration.ofSeconds(1), second.delay(), "the backoff doubles");

        assertEquals(List.of(), ledger.published, "nothing said while it goes on");
        assertEquals(2, store.verifications.get("c1").attempts);
        assertEquals(VerificationState.PENDING, store.verifications.get("c1").state);
    }

    @Test
    void unprovenJustBeforeTheDeadlineParksUntilTheDeadlineOnly() {
        notConnected();
        start("c1");
        clock.advance(Duration.ofSeconds(60).minusMillis(200));

        WorkResult.Park park = assertInstanceOf(WorkResult.Park.class, run("c1"));

        assertEquals(Duration.ofMillis(200), park.delay(), "the last attempt runs at the deadline");
    }

    @Test
    void provenPublishesConnectionVerifiedAndIsDone() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-ok"));
        start("c1");

        assertInstanceOf(WorkResult.Done.class, run("c1"));

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals(1, verified.attempts());
        assertEquals(1, verified.probeHits());
        assertEquals(VerificationState.VERIFIED, store.verifications.get("c1").state);
    }

    @Test
    void unprovenPastTheDeadlinePublishesVerificationFailedAndIsDone() {
        notConnected();
        start("c1");
        assertInstanceOf(WorkResult.Park.class, run("c1"));
        clock.advance(Duration.ofSeconds(61)); // a long outage: the next run comes after the deadline

        assertInstanceOf(WorkResult.Done.class, run("c1"));

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("remote_credentials_missing", failed.failure().type());
        assertTrue(failed.failure().reason().endsWith("(not proven within 60 s, 2 attempts)"), failed.failure().reason());
        assertEquals(VerificationState.FAILED, store.verifications.get("c1").state);
    }

    @Test
    void aRunOfACancelledVerificationCallsNothingAndSaysNothing() {
        start("c1");
        Work claimed = work.item("c1").work(); // claimed by a worker just before CompensationStarted cancelled it
        step.onCompensationStarted(compensationStarted("c1"));

        assertInstanceOf(WorkResult.Done.class, handler.run(claimed));

        assertEquals(List.of(), elasticsearch.calls());
        assertEquals(List.of(), ledger.published);
        assertEquals(WorkState.CANCELLED, work.item("c1").state);
    }

    @Test
    void anAttemptInFlightWhenCompensationStartsConcludesToNothing() {
        AtomicInteger calls = new AtomicInteger();
        elasticsearch.beforeEachCall(path -> {
            if (calls.getAndIncrement() == 0) {
                step.onCompensationStarted(compensationStarted("c1")); // the consumer, while the attempt runs
            }
        });
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-ok"));
        VerifyConnectionHandler racing = new VerifyConnectionHandler(step, new ConnectionProver(elasticsearch));
        start("c1");

        // The attempt proved the connection: too late, nothing is said.
        assertInstanceOf(WorkResult.Done.class, work.run(work.item("c1"), racing));

        assertEquals(List.of(), ledger.published);
        assertEquals(VerificationState.CANCELLED, store.verifications.get("c1").state);
        assertEquals(0, store.verifications.get("c1").attempts, "not counted either");
        assertEquals(WorkState.CANCELLED, work.item("c1").state);
    }

    @Test
    void aRunRepeatedAfterTheVerificationEndedSaysNothingAgain() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-ok"));
        start("c1");
        Work item = work.item("c1").work();
        assertInstanceOf(WorkResult.Done.class, handler.run(item));
        int calls = elasticsearch.calls().size();

        // A crash after the conclusion committed, before the item was marked done: the item runs again.
        assertInstanceOf(WorkResult.Done.class, handler.run(item));

        assertInstanceOf(ConnectionVerified.class, single());
        assertEquals(calls, elasticsearch.calls().size(), "no second attempt");
    }

    @Test
    void anItemOfAnEarlierRegistrationLeavesTheNewVerificationAlone() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-ok"));
        start("c1");
        Work first = work.item("c1").work();
        handler.run(first);
        step.onRemoteConnected(remoteConnected("c1", "linked")); // registered again: a new verification, a new item

        assertInstanceOf(WorkResult.Done.class, handler.run(first));

        assertEquals(1, ledger.published.size(), "the old item says nothing");
        assertEquals(VerificationState.PENDING, store.verifications.get("c1").state);
        assertEquals(0, store.verifications.get("c1").attempts);
        assertInstanceOf(WorkResult.Done.class, handler.run(work.of("c1").get(1).work()));
        assertEquals(2, ledger.published.size());
    }

    @Test
    void anUnexpectedErrorOfAnAttemptIsAnUnprovenAttempt() {
        ElasticsearchClient broken = new FakeElasticsearch().beforeEachCall(path -> {
            throw new IllegalStateException("connection pool shut down");
        });
        VerifyConnectionHandler failing = new VerifyConnectionHandler(step, new ConnectionProver(broken));
        start("c1");

        WorkResult.Park park = assertInstanceOf(WorkResult.Park.class, failing.run(work.item("c1").work()));

        assertEquals(Duration.ofMillis(500), park.delay());
        assertEquals(1, store.verifications.get("c1").attempts);
        assertEquals(List.of(), ledger.published);
    }

    private WorkResult run(String connectionId) {
        return work.run(work.item(connectionId), handler);
    }

    private void notConnected() {
        elasticsearch.on(RESOLVE, recorded("resolve-not-connected"))
                .on(REMOTE_INFO, recorded("remote-info-no-credentials"));
    }

    private void start(String connectionId) {
        step.onRequested(requested(connectionId, "linked", searchAccess("demo-*")));
        step.onRemoteConnected(remoteConnected(connectionId, "linked"));
    }

    private Object single() {
        assertEquals(1, ledger.published.size(), () -> "published: " + ledger.published);
        return ledger.published.get(0);
    }
}

package io.crosslink.verify.service;

import static io.crosslink.verify.support.FakeElasticsearch.recorded;
import static io.crosslink.verify.support.TestEvents.compensationStarted;
import static io.crosslink.verify.support.TestEvents.remoteConnected;
import static io.crosslink.verify.support.TestEvents.replicationAccess;
import static io.crosslink.verify.support.TestEvents.requested;
import static io.crosslink.verify.support.TestEvents.searchAccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.work.WorkState;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.verify.domain.RetryPolicy;
import io.crosslink.verify.domain.Verification;
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
import org.junit.jupiter.api.Test;

/**
 * A verification from RemoteConnected to its event, without broker, database or Quarkus: the step, the
 * {@code verify-connection} handler and the prover over an in-memory store, inbox/outbox and work queue (run by
 * the test as the dispatcher would), a clock the test moves and Elasticsearch answers recorded on a real node.
 */
class VerificationTest {
    private static final String RESOLVE = "/_resolve/cluster/linked:*";
    private static final String REMOTE_INFO = "/_remote/info";
    private static final String SEARCH = "/linked:demo-*/_search?size=0";
    private static final String CERT_SEARCH = "/linked:*/_search?size=0";
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(60), Duration.ofMillis(500),
            Duration.ofSeconds(5));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final RecordingLedger ledger = new RecordingLedger();
    private final InMemoryWork work = new InMemoryWork(clock);
    private final FakeElasticsearch elasticsearch = new FakeElasticsearch();
    private VerificationStep step = new VerificationStep(store, ledger, work, clock, POLICY);
    private VerifyConnectionHandler handler = new VerifyConnectionHandler(step, new ConnectionProver(elasticsearch));

    @Test
    void connectedOnFirstAttemptIsVerifiedWithProbeHits() {
        connected();
        start("c1", searchAccess("demo-*"));

        assertEquals(1, runDue());

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals("c1", verified.connectionId());
        assertEquals("GET /linked:demo-*/_search?size=0", verified.probe());
        assertEquals(1, verified.probeHits());
        assertEquals(18, verified.connectedSockets());
        assertEquals(1, verified.attempts());
        assertEquals(VerificationState.VERIFIED, verification("c1").state);
        assertEquals(WorkState.DONE, work.item("c1").state);
        assertEquals(0, runDue(), "a verified connection runs no more attempts");
    }

    /** The client decides _resolve/cluster's timeout by L's version: the one connect-service read reaches it. */
    @Test
    void theAttemptKnowsTheLocalDeploymentsVersion() {
        connected();
        start("c1", searchAccess("demo-*"));

        runDue();

        assertEquals(List.of("8.19.21"), elasticsearch.resolveVersions());
    }

    @Test
    void lateKeystoreReloadIsVerifiedOnALaterAttempt() {
        // Elastic Cloud reloads the keystore asynchronously: the first attempts find no credentials on L.
        elasticsearch.on(RESOLVE, recorded("resolve-not-connected"), recorded("resolve-not-connected"),
                        recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-no-credentials"), recorded("remote-info-no-credentials"),
                        recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-ok"));
        start("c1", searchAccess("demo-*"));

        assertEquals(1, runDue());
        assertEquals("remote_credentials_missing", verification("c1").lastFailureType);
        assertEquals(clock.instant().plusMillis(500), work.item("c1").dueAt, "parked for the first backoff");
        assertEquals(0, runDue(), "not due before the backoff has passed");

        clock.advance(Duration.ofMillis(500));
        assertEquals(1, runDue());
        assertEquals(clock.instant().plusSeconds(1), work.item("c1").dueAt, "the backoff doubles");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, runDue());

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals(3, verified.attempts());
        assertEquals(1, verified.probeHits());
        assertEquals(3, work.item("c1").attempts, "one attempt per run of the one work item");
    }

    @Test
    void neverConnectedFailsAfterTheDeadlineWithElasticsearchsReason() {
        elasticsearch.on(RESOLVE, recorded("resolve-authentication-error"))
                .on(REMOTE_INFO, recorded("remote-info-credentials-not-connected"));
        start("c1", searchAccess("demo-*"));

        int attempts = runUntilConcluded();

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("security_exception", failed.failure().type());
        assertTrue(failed.failure().reason().startsWith("remote cluster [linked]: error attempting to authenticate request"),
                failed.failure().reason());
        assertTrue(failed.failure().reason().contains("not proven within 60 s"), failed.failure().reason());
        Verification verification = verification("c1");
        assertEquals(VerificationState.FAILED, verification.state);
        assertEquals(attempts, verification.attempts);
        assertTrue(attempts >= 12 && attempts <= 20, "backoff 0.5, 1, 2, 4, then 5 s up to 60 s: " + attempts);
        assertTrue(!verification.finishedAt.isBefore(verification.deadline), "never before the deadline");
        assertEquals(WorkState.DONE, work.item("c1").state);
    }

    @Test
    void probeRefusedWithSecurityExceptionFailsNamingIt() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-skipped-security"));
        start("c1", searchAccess("demo-*"));

        runDue();
        clock.advance(Duration.ofSeconds(61));
        runDue();

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("security_exception", failed.failure().type());
        assertTrue(failed.failure().reason().contains("action [indices:data/read/search] towards remote cluster is unauthorized"),
                failed.failure().reason());
        assertEquals(2, verification("c1").attempts);
    }

    @Test
    void redeliveredEventsChangeNothing() {
        connected();
        ConnectionRequested request = requested("c1", "linked", searchAccess("demo-*"));
        RemoteConnected registered = remoteConnected("c1", "linked");
        step.onRequested(request);
        step.onRemoteConnected(registered);
        runDue();
        assertInstanceOf(ConnectionVerified.class, single());
        int calls = elasticsearch.calls().size();

        step.onRequested(request);
        step.onRemoteConnected(registered);

        assertEquals(1, work.of("c1").size(), "no second work item");
        assertEquals(0, runDue(), "no new attempt");
        assertEquals(1, ledger.published.size(), "no second event");
        assertEquals(calls, elasticsearch.calls().size());
        assertEquals(VerificationState.VERIFIED, verification("c1").state);
    }

    @Test
    void redeliveredRemoteConnectedWhileVerifyingKeepsTheRunningVerification() {
        elasticsearch.on(RESOLVE, recorded("resolve-not-connected")).on(REMOTE_INFO, recorded("remote-info-no-credentials"));
        RemoteConnected registered = start("c1", searchAccess("demo-*"));
        runDue();
        Instant deadline = verification("c1").deadline;

        clock.advance(Duration.ofSeconds(10));
        step.onRemoteConnected(registered);
        step.onRemoteConnected(remoteConnected("c1", "linked")); // another registration while the first is verified

        assertEquals(1, verification("c1").attempts);
        assertEquals(deadline, verification("c1").deadline, "the deadline does not move");
        assertEquals(1, work.of("c1").size(), "still the one work item");
    }

    @Test
    void remoteConnectedForAnUnknownConnectionFailsAtOnce() {
        RemoteConnected orphan = remoteConnected("c-unknown", "linked");

        step.onRemoteConnected(orphan);

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("c-unknown", failed.connectionId());
        assertEquals("unknown_connection", failed.failure().type());
        assertTrue(ledger.processed.contains(orphan.eventId()));
        assertTrue(store.verifications.isEmpty());
        assertTrue(work.items.isEmpty(), "nothing to run");
        assertTrue(elasticsearch.calls().isEmpty(), "no deployment to ask");
    }

    @Test
    void deploymentWithoutConfiguredAccessFailsWithoutWaitingForTheDeadline() {
        elasticsearch.on(RESOLVE, ElasticCallException.of(new StepFailure("deployment_not_configured",
                "verify-service has no Elasticsearch access for deployment x", null, false)));
        start("c1", searchAccess("demo-*"));

        runDue();

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("deployment_not_configured", failed.failure().type());
        assertEquals("verify-service has no Elasticsearch access for deployment x", failed.failure().reason());
        assertEquals(WorkState.DONE, work.item("c1").state);
    }

    @Test
    void pendingVerificationGoesOnAfterARestart() {
        elasticsearch.on(RESOLVE, recorded("resolve-not-connected"), recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-no-credentials"), recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-ok"));
        start("c1", searchAccess("demo-*"));
        runDue();

        // "Restart": new step and handler over the same (durable) state; the parked item is due again.
        step = new VerificationStep(store, ledger, work, clock, POLICY);
        handler = new VerifyConnectionHandler(step, new ConnectionProver(elasticsearch));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, runDue());

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals(2, verified.attempts());
    }

    @Test
    void replicationOnlyAccessIsVerifiedWithoutSearching() {
        elasticsearch.on(RESOLVE, recorded("resolve-replication-only-unauthorized"))
                .on(REMOTE_INFO, recorded("remote-info-replication-only"));
        start("c1", replicationAccess("demo-*"));

        runDue();

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertTrue(verified.probe().contains("replication-only"), verified.probe());
        assertEquals(0, verified.probeHits());
        assertEquals(List.of("c0ffee00a1b2c3d4e5f60718293a4b5c " + RESOLVE, "c0ffee00a1b2c3d4e5f60718293a4b5c " + REMOTE_INFO),
                elasticsearch.calls());
    }

    @Test
    void finishedConnectionRegisteredAgainIsVerifiedAgain() {
        connected();
        start("c1", searchAccess("demo-*"));
        runDue();

        step.onRemoteConnected(remoteConnected("c1", "linked"));
        assertEquals(2, work.of("c1").size(), "a new work item for the new registration");
        runDue();

        assertEquals(2, ledger.published.size());
        assertEquals(1, assertInstanceOf(ConnectionVerified.class, ledger.published.get(1)).attempts());
    }

    @Test
    void compensationStartedCancelsThePendingVerificationWithoutAnEvent() {
        elasticsearch.on(RESOLVE, recorded("resolve-not-connected")).on(REMOTE_INFO, recorded("remote-info-no-credentials"));
        start("c1", searchAccess("demo-*"));
        assertEquals(1, runDue());
        CompensationStarted compensation = compensationStarted("c1");

        step.onCompensationStarted(compensation);

        assertEquals(VerificationState.CANCELLED, verification("c1").state);
        assertEquals(WorkState.CANCELLED, work.item("c1").state, "its work item is cancelled with it");
        assertTrue(ledger.processed.contains(compensation.eventId()));
        clock.advance(Duration.ofSeconds(61));
        assertEquals(0, runDue(), "no attempt after the cancel, not even at the deadline");
        assertEquals(List.of(), ledger.published, "neither ConnectionVerified nor VerificationFailed");
        assertEquals(1, verification("c1").attempts);

        step.onCompensationStarted(compensation); // redelivered: the ledger refuses a second record
        assertEquals(VerificationState.CANCELLED, verification("c1").state);
    }

    @Test
    void remoteConnectedAfterCompensationStartedStartsNoVerification() {
        connected();
        step.onRequested(requested("c1", "linked", searchAccess("demo-*")));
        step.onCompensationStarted(compensationStarted("c1"));
        RemoteConnected late = remoteConnected("c1", "linked");

        step.onRemoteConnected(late);

        assertTrue(store.verifications.isEmpty());
        assertTrue(work.items.isEmpty());
        assertTrue(ledger.processed.contains(late.eventId()), "recorded, so a redelivery is a no-op too");
        assertEquals(List.of(), ledger.published);
        assertTrue(elasticsearch.calls().isEmpty());
    }

    @Test
    void compensationAfterTheVerificationEndedLeavesItAsItIs() {
        connected();
        start("c1", searchAccess("demo-*"));
        runDue();

        step.onCompensationStarted(compensationStarted("c1")); // e.g. a disconnect of the VERIFIED connection

        assertEquals(VerificationState.VERIFIED, verification("c1").state);
        assertEquals(WorkState.DONE, work.item("c1").state);
        assertInstanceOf(ConnectionVerified.class, single());
    }

    @Test
    void certificateModelIsVerifiedByResolveAndASearchTheRemoteAnswered() {
        elasticsearch.on(RESOLVE, recorded("cert-resolve-connected"))
                .on(CERT_SEARCH, recorded("cert-search-ok"))
                .on(REMOTE_INFO, recorded("cert-remote-info-connected"));
        startCertificateModel("c1");

        assertEquals(1, runDue());

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals("GET /linked:*/_search?size=0", verified.probe());
        assertEquals(1, verified.probeHits());
        assertEquals(18, verified.connectedSockets());
        assertEquals(1, verified.attempts());
        assertTrue(verification("c1").certificateModel);
    }

    @Test
    void certificateModelTrustReloadedLateIsVerifiedOnALaterAttempt() {
        // The first attempts run before the nodes reloaded the new trust (a ~2 s file poll): nothing connects; the next
        // _resolve/cluster connects anew, which Elasticsearch on its own would never do after a failure.
        elasticsearch.on(RESOLVE, recorded("cert-resolve-not-connected"), recorded("cert-resolve-not-connected"),
                        recorded("cert-resolve-connected"))
                .on(CERT_SEARCH, recorded("cert-search-skipped-unreachable"), recorded("cert-search-skipped-unreachable"),
                        recorded("cert-search-ok"))
                .on(REMOTE_INFO, recorded("cert-remote-info-connected"));
        startCertificateModel("c1");

        assertEquals(1, runDue());
        assertEquals("remote_connection_failed", verification("c1").lastFailureType);
        clock.advance(Duration.ofMillis(500));
        assertEquals(1, runDue());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, runDue());

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals(3, verified.attempts());
        String l = TestEvents.LOCAL_ID + " ";
        assertEquals(List.of(l + RESOLVE, l + CERT_SEARCH, l + RESOLVE, l + CERT_SEARCH, l + RESOLVE, l + CERT_SEARCH,
                l + REMOTE_INFO), elasticsearch.calls(), "each attempt connects actively first");
    }

    @Test
    void certificateModelNeverTrustedFailsAtTheDeadlineNamingTheCertificateCause() {
        elasticsearch.on(RESOLVE, recorded("cert-resolve-not-connected"))
                .on(CERT_SEARCH, recorded("cert-search-pkix-500"));
        startCertificateModel("c1");

        int attempts = runUntilConcluded();

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("certificate_not_trusted", failed.failure().type());
        assertTrue(failed.failure().reason().contains("L does not trust R's certificate"), failed.failure().reason());
        assertTrue(failed.failure().reason().contains("unable to find valid certification path"), failed.failure().reason());
        assertTrue(failed.failure().reason().endsWith("(not proven within 60 s, " + attempts + " attempts)"),
                failed.failure().reason());
    }

    @Test
    void certificateModelRemoteAlwaysSkippedFails() {
        elasticsearch.on(RESOLVE, recorded("cert-resolve-connected"))
                .on(CERT_SEARCH, recorded("cert-search-skipped-unreachable"));
        startCertificateModel("c1");

        runUntilConcluded();

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("remote_connection_failed", failed.failure().type());
        assertTrue(failed.failure().reason().contains("skipped the remote cluster"), failed.failure().reason());
        assertEquals(VerificationState.FAILED, verification("c1").state);
    }

    private int runDue() {
        return work.runDue(handler);
    }

    private int runUntilConcluded() {
        int attempts = 0;
        while (ledger.published.isEmpty()) {
            attempts += runDue();
            clock.advance(Duration.ofMillis(250));
            assertTrue(attempts < 100, "must give up at the deadline");
        }
        return attempts;
    }

    private Verification verification(String connectionId) {
        return store.verifications.get(connectionId);
    }

    private void startCertificateModel(String connectionId) {
        step.onRequested(TestEvents.certificateRequested(connectionId, "linked", TestEvents.LOCAL_ID));
        step.onRemoteConnected(remoteConnected(connectionId, "linked"));
    }

    private void connected() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-ok"));
    }

    private RemoteConnected start(String connectionId, io.crosslink.events.Access access) {
        step.onRequested(requested(connectionId, "linked", access));
        RemoteConnected registered = remoteConnected(connectionId, "linked");
        step.onRemoteConnected(registered);
        return registered;
    }

    private Object single() {
        assertEquals(1, ledger.published.size(), () -> "published: " + ledger.published);
        return ledger.published.get(0);
    }
}

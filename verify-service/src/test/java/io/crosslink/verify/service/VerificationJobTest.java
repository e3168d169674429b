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
import io.crosslink.verify.client.ElasticCallException;
import io.crosslink.verify.domain.AttemptResult;
import io.crosslink.verify.domain.RetryPolicy;
import io.crosslink.verify.domain.VerificationJob;
import io.crosslink.verify.domain.VerificationState;
import io.crosslink.verify.support.FakeElasticsearch;
import io.crosslink.verify.support.InMemoryStore;
import io.crosslink.verify.support.MutableClock;
import io.crosslink.verify.support.RecordingLedger;
import io.crosslink.verify.support.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The verification job from RemoteConnected to its event, without broker, database or Quarkus: the step, the
 * worker and the prover over an in-memory store, an in-memory inbox/outbox, a clock the test moves and
 * Elasticsearch answers recorded on a real node.
 */
class VerificationJobTest {
    private static final String RESOLVE = "/_resolve/cluster/linked:*";
    private static final String REMOTE_INFO = "/_remote/info";
    private static final String SEARCH = "/linked:demo-*/_search?size=0";
    private static final String CERT_SEARCH = "/linked:*/_search?size=0";
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(60), Duration.ofMillis(500),
            Duration.ofSeconds(5), Duration.ofMinutes(2));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final RecordingLedger ledger = new RecordingLedger();
    private final FakeElasticsearch elasticsearch = new FakeElasticsearch();
    private VerificationStep step = new VerificationStep(store, ledger, clock, POLICY);
    private VerificationWorker worker = new VerificationWorker(step, new ConnectionProver(elasticsearch), 20);

    @Test
    void connectedOnFirstAttemptIsVerifiedWithProbeHits() {
        connected();
        start("c1", searchAccess("demo-*"));

        assertEquals(1, worker.runDue());

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals("c1", verified.connectionId());
        assertEquals("GET /linked:demo-*/_search?size=0", verified.probe());
        assertEquals(1, verified.probeHits());
        assertEquals(18, verified.connectedSockets());
        assertEquals(1, verified.attempts());
        assertEquals(VerificationState.VERIFIED, store.jobs.get("c1").state);
        assertEquals(0, worker.runDue(), "a verified job runs no more attempts");
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

        assertEquals(1, worker.runDue());
        VerificationJob job = store.jobs.get("c1");
        assertEquals("remote_credentials_missing", job.lastFailureType);
        assertEquals(clock.instant().plusMillis(500), job.nextAttemptAt);
        assertEquals(0, worker.runDue(), "not due before the backoff has passed");

        clock.advance(Duration.ofMillis(500));
        assertEquals(1, worker.runDue());
        assertEquals(clock.instant().plusSeconds(1), job.nextAttemptAt, "the backoff doubles");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, worker.runDue());

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals(3, verified.attempts());
        assertEquals(1, verified.probeHits());
    }

    @Test
    void neverConnectedFailsAfterTheDeadlineWithElasticsearchsReason() {
        elasticsearch.on(RESOLVE, recorded("resolve-authentication-error"))
                .on(REMOTE_INFO, recorded("remote-info-credentials-not-connected"));
        start("c1", searchAccess("demo-*"));

        int attempts = 0;
        while (ledger.published.isEmpty()) {
            attempts += worker.runDue();
            clock.advance(Duration.ofMillis(250));
            assertTrue(attempts < 100, "must give up at the deadline");
        }

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("security_exception", failed.failure().type());
        assertTrue(failed.failure().reason().startsWith("remote cluster [linked]: error attempting to authenticate request"),
                failed.failure().reason());
        assertTrue(failed.failure().reason().contains("not proven within 60 s"), failed.failure().reason());
        VerificationJob job = store.jobs.get("c1");
        assertEquals(VerificationState.FAILED, job.state);
        assertEquals(attempts, job.attempts);
        assertTrue(attempts >= 12 && attempts <= 20, "backoff 0.5, 1, 2, 4, then 5 s up to 60 s: " + attempts);
        assertTrue(!job.finishedAt.isBefore(job.deadline), "never before the deadline");
    }

    @Test
    void probeRefusedWithSecurityExceptionFailsNamingIt() {
        elasticsearch.on(RESOLVE, recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-skipped-security"));
        start("c1", searchAccess("demo-*"));

        worker.runDue();
        clock.advance(Duration.ofSeconds(61));
        worker.runDue();

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("security_exception", failed.failure().type());
        assertTrue(failed.failure().reason().contains("action [indices:data/read/search] towards remote cluster is unauthorized"),
                failed.failure().reason());
        assertEquals(2, store.jobs.get("c1").attempts);
    }

    @Test
    void redeliveredEventsChangeNothing() {
        connected();
        ConnectionRequested request = requested("c1", "linked", searchAccess("demo-*"));
        RemoteConnected registered = remoteConnected("c1", "linked");
        step.onRequested(request);
        step.onRemoteConnected(registered);
        worker.runDue();
        assertInstanceOf(ConnectionVerified.class, single());
        int calls = elasticsearch.calls().size();

        step.onRequested(request);
        step.onRemoteConnected(registered);

        assertEquals(0, worker.runDue(), "no new attempt");
        assertEquals(1, ledger.published.size(), "no second event");
        assertEquals(calls, elasticsearch.calls().size());
        assertEquals(VerificationState.VERIFIED, store.jobs.get("c1").state);
    }

    @Test
    void redeliveredRemoteConnectedWhileVerifyingKeepsTheRunningJob() {
        elasticsearch.on(RESOLVE, recorded("resolve-not-connected")).on(REMOTE_INFO, recorded("remote-info-no-credentials"));
        RemoteConnected registered = start("c1", searchAccess("demo-*"));
        worker.runDue();
        Instant deadline = store.jobs.get("c1").deadline;

        clock.advance(Duration.ofSeconds(10));
        step.onRemoteConnected(registered);

        assertEquals(1, store.jobs.get("c1").attempts);
        assertEquals(deadline, store.jobs.get("c1").deadline, "the deadline does not move");
    }

    @Test
    void remoteConnectedForAnUnknownConnectionFailsAtOnce() {
        RemoteConnected orphan = remoteConnected("c-unknown", "linked");

        step.onRemoteConnected(orphan);

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("c-unknown", failed.connectionId());
        assertEquals("unknown_connection", failed.failure().type());
        assertTrue(ledger.processed.contains(orphan.eventId()));
        assertTrue(store.jobs.isEmpty());
        assertEquals(0, worker.runDue());
        assertTrue(elasticsearch.calls().isEmpty(), "no deployment to ask");
    }

    @Test
    void deploymentWithoutConfiguredAccessFailsWithoutWaitingForTheDeadline() {
        elasticsearch.on(RESOLVE, new ElasticCallException(new StepFailure("deployment_not_configured",
                "verify-service has no Elasticsearch access for deployment x", null, false)));
        start("c1", searchAccess("demo-*"));

        worker.runDue();

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, single());
        assertEquals("deployment_not_configured", failed.failure().type());
        assertEquals("verify-service has no Elasticsearch access for deployment x", failed.failure().reason());
    }

    @Test
    void pendingJobIsTakenUpAgainAfterARestart() {
        elasticsearch.on(RESOLVE, recorded("resolve-not-connected"), recorded("resolve-connected"))
                .on(REMOTE_INFO, recorded("remote-info-no-credentials"), recorded("remote-info-connected"))
                .on(SEARCH, recorded("search-ok"));
        start("c1", searchAccess("demo-*"));
        worker.runDue();
        // A crash right after claiming the next attempt: the lease is held by a worker that is gone.
        clock.advance(Duration.ofSeconds(1));
        step.claimDue(20);

        // "Restart": new step and worker over the same (durable) state.
        step = new VerificationStep(store, ledger, clock, POLICY);
        worker = new VerificationWorker(step, new ConnectionProver(elasticsearch), 20);
        assertEquals(0, worker.runDue(), "the lease still holds");
        clock.advance(POLICY.lease());
        assertEquals(1, worker.runDue());

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals(2, verified.attempts());
    }

    @Test
    void replicationOnlyAccessIsVerifiedWithoutSearching() {
        elasticsearch.on(RESOLVE, recorded("resolve-replication-only-unauthorized"))
                .on(REMOTE_INFO, recorded("remote-info-replication-only"));
        start("c1", replicationAccess("demo-*"));

        worker.runDue();

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
        worker.runDue();

        step.onRemoteConnected(remoteConnected("c1", "linked"));
        worker.runDue();

        assertEquals(2, ledger.published.size());
        assertEquals(1, assertInstanceOf(ConnectionVerified.class, ledger.published.get(1)).attempts());
    }

    @Test
    void compensationStartedCancelsThePendingVerificationWithoutAnEvent() {
        elasticsearch.on(RESOLVE, recorded("resolve-not-connected")).on(REMOTE_INFO, recorded("remote-info-no-credentials"));
        start("c1", searchAccess("demo-*"));
        assertEquals(1, worker.runDue());
        CompensationStarted compensation = compensationStarted("c1");

        step.onCompensationStarted(compensation);

        VerificationJob job = store.jobs.get("c1");
        assertEquals(VerificationState.CANCELLED, job.state);
        assertTrue(ledger.processed.contains(compensation.eventId()));
        clock.advance(Duration.ofSeconds(61));
        assertEquals(0, worker.runDue(), "no attempt after the cancel, not even at the deadline");
        assertEquals(List.of(), ledger.published, "neither ConnectionVerified nor VerificationFailed");
        assertEquals(1, job.attempts);

        step.onCompensationStarted(compensation); // redelivered: the ledger refuses a second record
        assertEquals(VerificationState.CANCELLED, job.state);
    }

    @Test
    void anAttemptInFlightWhenCompensationStartsConcludesToNothing() {
        start("c1", searchAccess("demo-*"));
        assertEquals(1, step.claimDue(20).size());

        step.onCompensationStarted(compensationStarted("c1"));
        // The attempt that was running meanwhile proved the connection: too late, nothing is said.
        assertEquals(Optional.empty(), step.conclude("c1", new AttemptResult.Proven("probe", 1, 18)));

        assertEquals(List.of(), ledger.published);
        assertEquals(VerificationState.CANCELLED, store.jobs.get("c1").state);
    }

    @Test
    void remoteConnectedAfterCompensationStartedStartsNoVerification() {
        connected();
        step.onRequested(requested("c1", "linked", searchAccess("demo-*")));
        step.onCompensationStarted(compensationStarted("c1"));
        RemoteConnected late = remoteConnected("c1", "linked");

        step.onRemoteConnected(late);

        assertTrue(store.jobs.isEmpty());
        assertTrue(ledger.processed.contains(late.eventId()), "recorded, so a redelivery is a no-op too");
        assertEquals(0, worker.runDue());
        assertEquals(List.of(), ledger.published);
        assertTrue(elasticsearch.calls().isEmpty());
    }

    @Test
    void compensationAfterTheVerificationEndedLeavesItAsItIs() {
        connected();
        start("c1", searchAccess("demo-*"));
        worker.runDue();

        step.onCompensationStarted(compensationStarted("c1")); // e.g. a disconnect of the VERIFIED connection

        assertEquals(VerificationState.VERIFIED, store.jobs.get("c1").state);
        assertInstanceOf(ConnectionVerified.class, single());
    }

    @Test
    void certificateModelIsVerifiedByResolveAndASearchTheRemoteAnswered() {
        elasticsearch.on(RESOLVE, recorded("cert-resolve-connected"))
                .on(CERT_SEARCH, recorded("cert-search-ok"))
                .on(REMOTE_INFO, recorded("cert-remote-info-connected"));
        startCertificateModel("c1");

        assertEquals(1, worker.runDue());

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, single());
        assertEquals("GET /linked:*/_search?size=0", verified.probe());
        assertEquals(1, verified.probeHits());
        assertEquals(18, verified.connectedSockets());
        assertEquals(1, verified.attempts());
        assertEquals(true, store.jobs.get("c1").certificateModel);
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

        assertEquals(1, worker.runDue());
        assertEquals("remote_connection_failed", store.jobs.get("c1").lastFailureType);
        clock.advance(Duration.ofMillis(500));
        assertEquals(1, worker.runDue());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, worker.runDue());

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
        assertEquals(VerificationState.FAILED, store.jobs.get("c1").state);
    }

    private int runUntilConcluded() {
        int attempts = 0;
        while (ledger.published.isEmpty()) {
            attempts += worker.runDue();
            clock.advance(Duration.ofMillis(250));
            assertTrue(attempts < 100, "must give up at the deadline");
        }
        return attempts;
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

package io.crosslink.verify.it;

import static io.crosslink.verify.support.TestEvents.remoteConnected;
import static io.crosslink.verify.support.TestEvents.requested;
import static io.crosslink.verify.support.TestEvents.searchAccess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.messaging.IncomingEvents;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.crosslink.verify.domain.VerificationJob;
import io.crosslink.verify.domain.VerificationState;
import io.crosslink.verify.support.TestEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * verify-service as deployed: real Kafka (connect-events in, verify-events out), real PostgreSQL (database
 * "verify") and a real Elasticsearch node that is both L and R ({@link LocalElasticsearch}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "verify"))
@QuarkusTestResource(LocalElasticsearch.class)
class VerificationFlowTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private SagaTopics topics;

    @BeforeEach
    void connectToKafka() {
        topics = new SagaTopics(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        topics.close();
    }

    @Test
    void registeredRemoteIsVerifiedByASearchInsideTheGrantedAccess() {
        LocalElasticsearch.registerRemote("linked");
        String id = UUID.randomUUID().toString();

        topics.send(requested(id, "linked", searchAccess("demo-*")));
        topics.send(remoteConnected(id, "linked"));

        ConsumerRecord<String, String> record = topics.awaitVerifyEvent(id, PATIENCE);
        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, IncomingEvents.decode(record));
        assertEquals("GET /linked:demo-*/_search?size=0", verified.probe());
        assertEquals(1, verified.probeHits(), "demo-index holds one document");
        assertTrue(verified.connectedSockets() > 0, "sockets: " + verified.connectedSockets());
        assertTrue(verified.attempts() >= 1);
        assertEquals("crosslink.ConnectionVerified", header(record, "ce_type"));
        assertEquals("crosslink/verify-service", header(record, "ce_source"));
        assertEquals(id, header(record, "ce_subject"));
        assertEquals(VerificationState.VERIFIED, job(id).state);
    }

    @Test
    void lateKeystoreReloadIsVerifiedOnceTheCredentialsArrive() throws Exception {
        LocalElasticsearch.registerRemote("late");
        String id = UUID.randomUUID().toString();

        topics.send(requested(id, "late", searchAccess("demo-*")));
        topics.send(remoteConnected(id, "late"));
        // The first attempts run before the key is in L's keystore, as on Elastic Cloud's asynchronous reload.
        await().atMost(PATIENCE).until(() -> job(id) != null && job(id).attempts >= 1);
        assertEquals("remote_credentials_missing", job(id).lastFailureType);
        LocalElasticsearch.reloadLateKey();

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class,
                IncomingEvents.decode(topics.awaitVerifyEvent(id, PATIENCE)));
        assertTrue(verified.attempts() > 1, "attempts: " + verified.attempts());
        assertEquals(1, verified.probeHits());
    }

    @Test
    void revokedKeyFailsAfterTheDeadlineWithElasticsearchsReason() {
        LocalElasticsearch.registerRemote("revoked");
        String id = UUID.randomUUID().toString();

        topics.send(requested(id, "revoked", searchAccess("demo-*")));
        topics.send(remoteConnected(id, "revoked"));

        ConsumerRecord<String, String> record = topics.awaitVerifyEvent(id, PATIENCE);
        VerificationFailed failed = assertInstanceOf(VerificationFailed.class, IncomingEvents.decode(record));
        assertEquals("security_exception", failed.failure().type());
        assertTrue(failed.failure().reason().startsWith("remote cluster [revoked]: "), failed.failure().reason());
        assertTrue(failed.failure().reason().contains("not proven within 20 s"), failed.failure().reason());
        assertFalse(record.value().contains(LocalElasticsearch.password()), "the user's password never travels");
        VerificationJob job = job(id);
        assertEquals(VerificationState.FAILED, job.state);
        assertTrue(job.attempts > 1);
        assertFalse(job.finishedAt.isBefore(job.deadline));
    }

    @Test
    void certificateModelIsVerifiedOverTransportTlsWithoutAnyKey() {
        LocalElasticsearch.registerCertificateRemote("tls", true);
        String id = UUID.randomUUID().toString();

        topics.send(TestEvents.certificateRequested(id, "tls", TestEvents.LOCAL_ID));
        topics.send(TestEvents.remoteConnectedOverTransport(id, "tls"));

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class,
                IncomingEvents.decode(topics.awaitVerifyEvent(id, PATIENCE)));
        assertEquals("GET /tls:*/_search?size=0", verified.probe());
        assertTrue(verified.probeHits() >= 1, "demo-index holds one document: " + verified.probeHits());
        assertTrue(verified.connectedSockets() > 0, "sockets: " + verified.connectedSockets());
        assertEquals(true, job(id).certificateModel);
    }

    @Test
    void certificateModelTrustThatArrivesLateIsVerifiedByConnectingAgain() throws Exception {
        // Trust restrictions that do not admit the peer, in effect for new handshakes before the remote is registered.
        LocalElasticsearch.restrictTransportTrust("*.nobody.ece.local");
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .until(() -> !LocalElasticsearch.freshHandshakeConnects());
            // skip_unavailable=false: the only registration for which Elasticsearch names the TLS cause.
            LocalElasticsearch.registerCertificateRemote("tls_late", false);
            String id = UUID.randomUUID().toString();

            topics.send(TestEvents.certificateRequested(id, "tls_late", TestEvents.LOCAL_ID));
            topics.send(TestEvents.remoteConnectedOverTransport(id, "tls_late"));
            await().atMost(PATIENCE).until(() -> job(id) != null && job(id).attempts >= 1);
            VerificationJob failing = job(id);
            assertEquals("trust_restriction_mismatch", failing.lastFailureType, failing.lastFailureReason);
            assertTrue(failing.lastFailureReason.contains("does not match the trusted names [*.nobody.ece.local]"),
                    failing.lastFailureReason);

            // The trust reload: Elasticsearch would never retry the failed connection; _resolve/cluster connects anew.
            LocalElasticsearch.restoreTransportTrust();
            ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class,
                    IncomingEvents.decode(topics.awaitVerifyEvent(id, PATIENCE)));
            assertTrue(verified.attempts() > 1, "attempts: " + verified.attempts());
            assertEquals("GET /tls_late:*/_search?size=0", verified.probe());
        } finally {
            LocalElasticsearch.restoreTransportTrust();
        }
    }

    @Test
    void remoteConnectedForAnUnknownConnectionIsReportedAsFailed() {
        String id = UUID.randomUUID().toString();

        topics.send(remoteConnected(id, "linked"));

        VerificationFailed failed = assertInstanceOf(VerificationFailed.class,
                IncomingEvents.decode(topics.awaitVerifyEvent(id, PATIENCE)));
        assertEquals("unknown_connection", failed.failure().type());
    }

    @Test
    void pendingJobLeftByACrashedInstanceIsTakenUp() {
        LocalElasticsearch.registerRemote("linked");
        String id = UUID.randomUUID().toString();
        // What a crash during an attempt leaves behind: a pending row with an expired lease.
        QuarkusTransaction.requiringNew().run(() -> {
            VerificationJob job = new VerificationJob();
            job.connectionId = id;
            job.alias = "linked";
            job.deploymentId = TestEvents.LOCAL_ID;
            job.probePattern = "demo-*";
            job.state = VerificationState.PENDING;
            job.triggerEventId = UUID.randomUUID().toString();
            job.startedAt = Instant.now().minusSeconds(5);
            job.deadline = Instant.now().plusSeconds(60);
            job.attempts = 1;
            job.nextAttemptAt = Instant.now().minusSeconds(4);
            job.leaseUntil = Instant.now().minusSeconds(1);
            job.persist();
        });

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class,
                IncomingEvents.decode(topics.awaitVerifyEvent(id, PATIENCE)));
        assertEquals(2, verified.attempts());
    }

    private static VerificationJob job(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> VerificationJob.<VerificationJob>findById(connectionId));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}

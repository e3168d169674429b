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
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.EventCodec;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.crosslink.runtime.messaging.ProcessedEvent;
import io.crosslink.runtime.work.WorkItem;
import io.crosslink.runtime.work.WorkState;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.crosslink.verify.domain.Verification;
import io.crosslink.verify.domain.VerificationState;
import io.crosslink.verify.support.TestEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * verify-service as deployed: real Kafka (connect-events in, verify-events out), real PostgreSQL (database
 * "verify", with saga-runtime's work items run by its dispatcher) and a real Elasticsearch node that is both L and R
 * ({@link LocalElasticsearch}).
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

        RemoteConnected registered = remoteConnected(id, "linked");
        topics.send(requested(id, "linked", searchAccess("demo-*")));
        topics.send(registered);

        ConsumerRecord<String, String> record = topics.awaitVerifyEvent(id, PATIENCE);
        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class, IncomingEvents.decode(record));
        assertEquals("GET /linked:demo-*/_search?size=0", verified.probe());
        assertEquals(1, verified.probeHits(), "demo-index holds one document");
        assertTrue(verified.connectedSockets() > 0, "sockets: " + verified.connectedSockets());
        assertTrue(verified.attempts() >= 1);
        assertEquals("crosslink.ConnectionVerified", header(record, "ce_type"));
        assertEquals("crosslink/verify-service", header(record, "ce_source"));
        assertEquals(id, header(record, "ce_subject"));
        assertEquals(VerificationState.VERIFIED, verification(id).state);
        // The consumer recorded the event and queued one work item on L; the dispatcher ran it to its end.
        assertTrue(QuarkusTransaction.requiringNew().call(() -> ProcessedEvent.findById(registered.eventId()) != null));
        List<WorkItem> items = workItems(id);
        assertEquals(1, items.size());
        assertEquals("verify-connection", items.get(0).kind);
        assertEquals("ece/" + TestEvents.LOCAL_ID, items.get(0).deployments);
        assertEquals(registered.eventId(), EventCodec.decode(items.get(0).payloadType, items.get(0).payload).eventId());
        await().atMost(PATIENCE).until(() -> workItems(id).get(0).state == WorkState.DONE);
    }

    @Test
    void lateKeystoreReloadIsVerifiedOnceTheCredentialsArrive() throws Exception {
        LocalElasticsearch.registerRemote("late");
        String id = UUID.randomUUID().toString();

        topics.send(requested(id, "late", searchAccess("demo-*")));
        topics.send(remoteConnected(id, "late"));
        // The first attempts run before the key is in L's keystore, as on Elastic Cloud's asynchronous reload.
        await().atMost(PATIENCE).until(() -> verification(id) != null && verification(id).attempts >= 1);
        assertEquals("remote_credentials_missing", verification(id).lastFailureType);
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
        Verification verification = verification(id);
        assertEquals(VerificationState.FAILED, verification.state);
        assertTrue(verification.attempts > 1);
        assertFalse(verification.finishedAt.isBefore(verification.deadline));
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
        assertTrue(verification(id).certificateModel);
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
            await().atMost(PATIENCE).until(() -> verification(id) != null && verification(id).attempts >= 1);
            Verification failing = verification(id);
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
    void verificationLeftRunningByACrashedInstanceIsTakenUp() {
        LocalElasticsearch.registerRemote("linked");
        String id = UUID.randomUUID().toString();
        RemoteConnected registered = remoteConnected(id, "linked");
        // What a crash during the second attempt leaves behind: a pending verification after one attempt, and its
        // work item leased by an instance that is gone (the lease has run out).
        QuarkusTransaction.requiringNew().run(() -> {
            Verification verification = new Verification();
            verification.connectionId = id;
            verification.alias = "linked";
            verification.environment = "ece";
            verification.deploymentId = TestEvents.LOCAL_ID;
            verification.probePattern = "demo-*";
            verification.state = VerificationState.PENDING;
            verification.triggerEventId = registered.eventId();
            verification.startedAt = Instant.now().minusSeconds(5);
            verification.deadline = Instant.now().plusSeconds(60);
            verification.attempts = 1;
            verification.persist();
            WorkItem item = new WorkItem();
            item.kind = "verify-connection";
            item.connectionId = id;
            item.deployments = "ece/" + TestEvents.LOCAL_ID;
            item.payloadType = registered.cloudEventType();
            item.payload = EventCodec.encode(registered);
            item.state = WorkState.PENDING;
            item.attempts = 1;
            item.createdAt = Instant.now().minusSeconds(5);
            item.dueAt = Instant.now().minusSeconds(4);
            item.leaseUntil = Instant.now().minusSeconds(1);
            item.leaseOwner = "crashed-instance";
            item.persist();
        });

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class,
                IncomingEvents.decode(topics.awaitVerifyEvent(id, PATIENCE)));
        assertEquals(2, verified.attempts());
    }

    private static Verification verification(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> Verification.<Verification>findById(connectionId));
    }

    static List<WorkItem> workItems(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> WorkItem.<WorkItem>list("connectionId = ?1 order by id",
                connectionId));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}

package io.crosslink.trust.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.Access;
import io.crosslink.events.Certainty;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Registration;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Topics;
import io.crosslink.events.TrustRequest;
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.runtime.tracing.SagaSpans;
import io.crosslink.trust.messaging.SagaEventsConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The undo of a connection whose ConnectionRequested trust-service never read (dead-lettered on connect-events),
 * through the consumer as Kafka hands it the records: CompensationStarted names the model, and RemoteRemoved /
 * RemoteRemovalFailed, in either order with it, is answered without a call in that model's terms, carrying its chain.
 * Requests that were read keep their model's own undo. Everything else in memory, as in the other service tests.
 */
class UnreadRequestUndoTest {
    static final String ALIAS = "eu-logs";
    static final String SETTING = "cluster.remote.eu-logs.credentials";
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String REMOTE_ID = "0b5e55ed12345678abcdef0123456789";
    static final String ENCODED_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";

    final SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
    final Fakes.Entries entries = new Fakes.Entries();
    final Fakes.Unread unread = new Fakes.Unread();
    final TrustFakes.Links links = new TrustFakes.Links();
    final Fakes.RecordingInbox inbox = new Fakes.RecordingInbox();
    final Fakes.RecordingOutbox outbox = new Fakes.RecordingOutbox();
    final Fakes.Keystore keystore = new Fakes.Keystore();
    final TrustFakes.Cloud cloud = new TrustFakes.Cloud();
    final Fakes.Queue queue = new Fakes.Queue();
    final TrustFakes.MovingClock clock = new TrustFakes.MovingClock();
    final CloudApiRetry retry = new CloudApiRetry(4, Duration.ofMillis(100), Duration.ofMillis(400));
    SagaEventsConsumer consumer;
    Fakes.Worker worker;
    String connection;
    long offset;

    @BeforeEach
    void setUp() {
        UndoRetry undoRetry = new UndoRetry(retry, new UndoBudget(Duration.ofSeconds(30), clock));
        TrustStepSettings settings = new TrustStepSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 4, clock);
        Fakes.SigningCa signingCa = new Fakes.SigningCa(entries, outbox);
        ApiKeyTrustService apiKey = new ApiKeyTrustService(new KeystoreLedger(entries, inbox, outbox, queue,
                signingCa.ledger), keystore, box, retry);
        KeystoreUndoService keystoreUndo = new KeystoreUndoService(new RemovalLedger(entries, inbox, outbox, queue,
                signingCa.grants), keystore, undoRetry, signingCa.ledger, signingCa.writer);
        TrustLedger trustLedger = new TrustLedger(links, inbox, outbox, queue);
        TrustWriter writer = new TrustWriter(cloud, trustLedger, new DeploymentLocks(), settings);
        PlanWaiter plans = new PlanWaiter(cloud);
        CertificateTrustService certificate = new CertificateTrustService(trustLedger, cloud, writer, plans, settings,
                retry);
        CertificateUndoService certificateUndo = new CertificateUndoService(trustLedger, writer, plans, settings,
                undoRetry);
        UnreadRequestUndo unreadUndo = new UnreadRequestUndo(new UnreadRequestLedger(unread, entries, links, inbox,
                outbox));
        consumer = new SagaEventsConsumer(apiKey, keystoreUndo, certificate, certificateUndo, unreadUndo,
                SagaSpans.noop());
        worker = new Fakes.Worker(queue, clock, apiKey, keystoreUndo, certificate, certificateUndo);
        connection = UUID.randomUUID().toString();
        String trust = "{'accounts':[],'external':[],'direct':[]}";
        cloud.add(LOCAL_ID, "local", List.of(CertificateTrustServiceTest.pem("ece-local-ca.pem")), trust);
        cloud.add(REMOTE_ID, "remote", List.of(CertificateTrustServiceTest.pem("ess-remote-ca.pem")), trust);
    }

    // --- API key

    @Test
    void apiKey_compensationThenRemoteRemoved_answersKeystoreEntryRemovedAtOnce() {
        requestDeadLettered();
        UndoChain chain = chain();
        deliver(started(chain, SecurityModel.API_KEY));

        deliver(remoteRemoved(chain));

        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published));
        assertEquals(SETTING, removed.settingName(), "named after the alias RemoteRemoved carries");
        assertFalse(removed.removed());
        assertEquals(chain, removed.chain());
        assertTrue(keystore.calls.isEmpty(), "no Cloud API call");
        assertTrue(queue.all.isEmpty(), "no work item");
    }

    @Test
    void apiKey_remoteRemovalFailedBeforeCompensation_isAnsweredOnceCompensationComes() {
        requestDeadLettered();
        UndoChain chain = chain();

        deliver(remoteRemovalFailed(chain));
        assertTrue(outbox.published.isEmpty(), "the model is not known yet");
        deliver(started(chain, SecurityModel.API_KEY));

        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published));
        assertEquals("", removed.settingName(), "RemoteRemovalFailed names no alias");
        assertFalse(removed.removed());
        assertEquals(chain, removed.chain(), "the chain of the trigger that waited");
        assertTrue(keystore.calls.isEmpty());
    }

    @Test
    void apiKey_aRequestArrivingAfterTheWaitingUndo_isNeverWritten() {
        UndoChain chain = chain();
        deliver(remoteRemoved(chain));

        deliver(apiKeyRequest());
        deliver(new KeyCreated(UUID.randomUUID().toString(), connection, Instant.now(), "key-1",
                "crosslink-" + connection, box.seal(ENCODED_KEY, connection)));
        deliver(started(chain, SecurityModel.API_KEY));

        assertTrue(keystore.calls.isEmpty(), "the waiting undo left a tombstone: nothing is written");
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published));
        assertFalse(removed.removed());
        assertEquals(chain, removed.chain());
    }

    // --- TLS certificate

    @Test
    void tls_compensationThenRemoteRemovalFailed_answersTrustRemovedAtOnce() {
        requestDeadLettered();
        UndoChain chain = chain();
        deliver(started(chain, SecurityModel.TLS_CERTIFICATE));

        deliver(remoteRemovalFailed(chain));

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, single(outbox.published));
        assertEquals(List.of(), removed.edits());
        assertFalse(removed.removed());
        assertEquals(chain, removed.chain());
        assertTrue(cloud.calls.isEmpty(), "no Cloud API call");
        assertTrue(queue.all.isEmpty(), "no work item");
    }

    @Test
    void tls_remoteRemovedBeforeCompensation_isAnsweredOnceCompensationComes() {
        requestDeadLettered();
        UndoChain chain = chain();

        deliver(remoteRemoved(chain));
        assertTrue(outbox.published.isEmpty(), "the model is not known yet");
        deliver(started(chain, SecurityModel.TLS_CERTIFICATE));

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, single(outbox.published));
        assertEquals(List.of(), removed.edits());
        assertFalse(removed.removed());
        assertEquals(chain, removed.chain());
        assertTrue(cloud.calls.isEmpty());
    }

    // --- no model, repeats

    @Test
    void compensationNamingNoModel_answersNothing_inEitherOrder() {
        requestDeadLettered();
        RemoteRemoved first = remoteRemoved(null);
        deliver(oldStarted());
        deliver(first);

        connection = UUID.randomUUID().toString();
        RemoteRemoved second = remoteRemoved(null);
        deliver(second);
        deliver(oldStarted());

        assertTrue(outbox.published.isEmpty(), "no guess: connect-service's undo deadline ends the chain");
        assertTrue(inbox.recorded.containsAll(List.of(first.eventId(), second.eventId())), "both were applied");
    }

    @Test
    void redeliveredEvents_answerOnce() {
        UndoChain chain = chain();
        RemoteRemoved trigger = remoteRemoved(chain);
        CompensationStarted started = started(chain, SecurityModel.API_KEY);
        deliver(trigger);
        deliver(started);

        deliver(trigger);
        deliver(started);

        assertEquals(1, outbox.published.size());
    }

    @Test
    void repeatedChain_eachAnswerCarriesItsOwnChain() {
        UndoChain first = chain();
        deliver(started(first, SecurityModel.TLS_CERTIFICATE));
        deliver(remoteRemoved(first));
        UndoChain second = chain();
        deliver(started(second, SecurityModel.TLS_CERTIFICATE));
        deliver(remoteRemoved(second));

        assertEquals(List.of(first, second), outbox.published.stream()
                .map(event -> assertInstanceOf(TrustRemoved.class, event).chain()).toList());
    }

    // --- requests that were read keep their model's undo

    @Test
    void apiKeyRequestRead_theKeystoreUndoRemovesWhatItWrote() {
        deliver(apiKeyRequest());
        deliver(new KeyCreated(UUID.randomUUID().toString(), connection, Instant.now(), "key-1",
                "crosslink-" + connection, box.seal(ENCODED_KEY, connection)));
        assertInstanceOf(KeystoreUpdated.class, single(outbox.published));
        UndoChain chain = chain();

        deliver(started(chain, SecurityModel.API_KEY));
        deliver(remoteRemoved(chain));

        assertEquals(1, keystore.removals.size());
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, outbox.published.get(1));
        assertTrue(removed.removed());
        assertEquals(chain, removed.chain());
        assertTrue(unread.rows.isEmpty(), "not taken for an unread request");
    }

    @Test
    void tlsRequestRead_theTrustUndoRemovesWhatItAdded() {
        deliver(tlsRequest());
        TrustUpdated updated = assertInstanceOf(TrustUpdated.class, single(outbox.published));
        UndoChain chain = chain();

        deliver(started(chain, SecurityModel.TLS_CERTIFICATE));
        deliver(remoteRemoved(chain));

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, outbox.published.get(1));
        assertTrue(removed.removed());
        assertEquals(updated.edits(), removed.edits());
        assertEquals(chain, removed.chain());
        assertTrue(unread.rows.isEmpty());
    }

    // --- helpers

    /** The connection's ConnectionRequested cannot be read: the consumer throws and Kafka dead-letters it. */
    private void requestDeadLettered() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.CONNECT_EVENTS, 0, offset++, connection,
                "{\"eventId\": 42, not json");
        record.headers().add(IncomingEvents.CE_TYPE, "crosslink.ConnectionRequested".getBytes(StandardCharsets.UTF_8));
        assertThrows(EventCodec.UnreadableEventException.class, () -> consumer.onConnectEvent(record));
    }

    /** Kafka hands the consumer the event's record; then the work items it queued run to their end. */
    private void deliver(ConnectionEvent event) {
        boolean keyEvent = event instanceof KeyCreated;
        ConsumerRecord<String, String> record = new ConsumerRecord<>(keyEvent ? Topics.KEY_EVENTS
                : Topics.CONNECT_EVENTS, 0, offset++, event.connectionId(), EventCodec.encode(event));
        record.headers().add(IncomingEvents.CE_TYPE, event.cloudEventType().getBytes(StandardCharsets.UTF_8));
        if (keyEvent) {
            consumer.onKeyEvent(record);
        } else {
            consumer.onConnectEvent(record);
        }
        worker.runAll();
    }

    private UndoChain chain() {
        return new UndoChain(UUID.randomUUID().toString(), clock.instant().plus(Duration.ofMinutes(15)));
    }

    private CompensationStarted started(UndoChain chain, SecurityModel model) {
        return new CompensationStarted(chain.id(), connection, clock.instant(), CompensationCause.FAILURE,
                new StepFailure("verification_failed", "no search", null, false), chain, model);
    }

    /** As written before CompensationStarted named the model. */
    private CompensationStarted oldStarted() {
        return new CompensationStarted(UUID.randomUUID().toString(), connection, clock.instant(),
                CompensationCause.DEADLINE, null);
    }

    private RemoteRemoved remoteRemoved(UndoChain chain) {
        return new RemoteRemoved(UUID.randomUUID().toString(), connection, clock.instant(), ALIAS, false, null, chain);
    }

    private RemoteRemovalFailed remoteRemovalFailed(UndoChain chain) {
        return new RemoteRemovalFailed(UUID.randomUUID().toString(), connection, clock.instant(),
                new StepFailure("http_503", "unavailable", 503, true), Certainty.POSSIBLE, chain);
    }

    private ConnectionRequested apiKeyRequest() {
        ConnectionRequest request = new ConnectionRequest(ALIAS, SecurityModel.API_KEY,
                new DeploymentRef("ece", LOCAL_ID, null), new DeploymentRef("ess", REMOTE_ID, null),
                new Access(List.of(new Access.Search(List.of("demo-*"), null, null, null)), null), true);
        return new ConnectionRequested(UUID.randomUUID().toString(), connection, Instant.now(), request,
                new DeploymentInfo("ece", LOCAL_ID, "main-elasticsearch", "e5f60718293a4b5cc0ffee00a1b2c3d4",
                        "127.0.10.1", "8.19.21"),
                new DeploymentInfo("ess", REMOTE_ID, "main-elasticsearch", "abcdef01234567890b5e55ed12345678",
                        "127.0.10.2", "8.19.21"));
    }

    private ConnectionRequested tlsRequest() {
        ConnectionRequest request = ConnectionRequest.tlsCertificate(ALIAS, new DeploymentRef("ece", LOCAL_ID, null),
                new DeploymentRef("ess", REMOTE_ID, null), true, new TrustRequest(false),
                Registration.CLUSTER_SETTINGS);
        return new ConnectionRequested(UUID.randomUUID().toString(), connection, Instant.now(), request,
                CertificateTrustServiceTest.LOCAL, CertificateTrustServiceTest.REMOTE);
    }

    private static ConnectionEvent single(List<ConnectionEvent> events) {
        assertEquals(1, events.size(), () -> "events: " + events);
        return events.get(0);
    }
}

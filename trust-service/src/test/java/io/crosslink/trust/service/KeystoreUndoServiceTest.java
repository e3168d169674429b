package io.crosslink.trust.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.crosslink.events.Access;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.secret.SecretBox;
import io.crosslink.trust.client.CloudApiException;
import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.domain.EntryStatus;
import io.crosslink.trust.domain.KeystoreEntry;
import io.crosslink.trust.domain.UndoStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The undo of the keystore step without broker, database or Quarkus: one test per path. The forward step runs
 * through the same in-memory rows, so each test starts from what the step really left behind.
 */
class KeystoreUndoServiceTest {
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String ALIAS = "eu-logs";
    static final String SETTING = "cluster.remote.eu-logs.credentials";
    static final DeploymentResource LOCAL = new DeploymentResource("ece", LOCAL_ID, "main-elasticsearch");
    static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    static final String ENCODED_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    static final String CLOUD_API_KEY = "ece-cloud-api-key-0123456789abcdef";

    final SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
    final Fakes.Entries entries = new Fakes.Entries();
    final Fakes.RecordingInbox inbox = new Fakes.RecordingInbox();
    final Fakes.RecordingOutbox outbox = new Fakes.RecordingOutbox();
    final Fakes.Keystore keystore = new Fakes.Keystore();
    KeystoreLedger ledger;
    ApiKeyTrustService forward;
    KeystoreUndoService undo;
    String connection;

    @BeforeEach
    void setUp() {
        ledger = new KeystoreLedger(entries, inbox, outbox);
        forward = new ApiKeyTrustService(ledger, keystore, box);
        undo = new KeystoreUndoService(new RemovalLedger(entries, inbox, outbox), keystore);
        connection = UUID.randomUUID().toString();
    }

    @Test
    void writtenThenRemoteRemoved_removesTheEntryAndAnnouncesIt() {
        forward.handle(requested());
        forward.handle(key("key-1"));
        assertInstanceOf(KeystoreUpdated.class, last());

        CompensationStarted started = started();
        undo.compensationStarted(started);
        assertTrue(entry().compensating());
        assertTrue(keystore.removals.isEmpty(), "the keystore undo waits for the remote's removal");

        RemoteRemoved remoteRemoved = remoteRemoved();
        undo.removeEntry(remoteRemoved);

        assertEquals(List.of(new Fakes.Removal(LOCAL, SETTING)), keystore.removals);
        assertInstanceOf(Fakes.Put.class, keystore.calls.get(0));
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, last());
        assertEquals(connection, removed.connectionId());
        assertEquals(SETTING, removed.settingName());
        assertTrue(removed.removed());
        assertEquals(2, outbox.published.size());
        assertEquals(UndoStatus.REMOVED, entry().undoStatus);
        assertNotNull(entry().removedAt);
        assertTrue(inbox.recorded.containsAll(List.of(started.eventId(), remoteRemoved.eventId())));
    }

    @Test
    void remoteRemovalFailed_stillRemovesTheEntry() {
        forward.handle(requested());
        forward.handle(key("key-1"));
        undo.compensationStarted(started());

        undo.removeEntry(new RemoteRemovalFailed(UUID.randomUUID().toString(), connection, Instant.now(),
                new StepFailure("cluster_block_exception", "blocked", 403, false)));

        assertEquals(1, keystore.removals.size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void nothingWritten_announcesRemovedFalseWithoutCallingTheCloudApi() {
        forward.handle(requested());
        undo.compensationStarted(started());

        undo.removeEntry(remoteRemoved());

        assertTrue(keystore.calls.isEmpty(), "no Cloud API call");
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published));
        assertEquals(SETTING, removed.settingName());
        assertFalse(removed.removed());
        assertEquals(UndoStatus.REMOVED, entry().undoStatus);
    }

    @Test
    void connectionNeverSeen_getsATombstoneRowAndRemovedFalse() {
        undo.compensationStarted(started());
        assertTrue(entry().compensating(), "the row is created for the tombstone");

        undo.removeEntry(remoteRemoved());

        assertTrue(keystore.calls.isEmpty());
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published));
        assertEquals(SETTING, removed.settingName(), "named after the alias RemoteRemoved carries");
        assertFalse(removed.removed());
    }

    @Test
    void permanentlyRefusedWrite_leftNothingToRemove() {
        keystore.failures.add(CloudApiException.fromResponse(404,
                "{\"errors\":[{\"code\":\"deployments.deployment_not_found\",\"message\":\"not found\"}]}"));
        forward.handle(requested());
        forward.handle(key("key-1"));
        assertInstanceOf(KeystoreUpdateFailed.class, last());

        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        assertTrue(keystore.removals.isEmpty());
        assertFalse(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void writeFailedTransiently_mayHaveApplied_soItIsRemoved() {
        // 503 after forwarding, or a dropped connection: the change may have happened although the call failed.
        keystore.failures.add(CloudApiException.fromResponse(503,
                "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}"));
        forward.handle(requested());
        forward.handle(key("key-1"));
        assertInstanceOf(KeystoreUpdateFailed.class, last());

        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void writeTimedOut_mayHaveApplied_soItIsRemoved() {
        keystore.failures.add(new TimeoutException("timed out"));
        forward.handle(requested());
        forward.handle(key("key-1"));

        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void keyCreatedAfterTheUndo_isRecordedButNeverWritten() {
        forward.handle(requested());
        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        KeyCreated late = key("key-1");
        forward.handle(late);

        assertTrue(keystore.calls.isEmpty(), "the tombstone blocks the write");
        assertTrue(inbox.recorded.contains(late.eventId()), "the late event is recorded");
        assertEquals(1, outbox.published.size(), "nothing announced for it");
        assertFalse(entry().hasKey(), "nothing else is kept of it");
    }

    @Test
    void keyCreatedAfterCompensationStarted_isNeverWritten() {
        forward.handle(requested());
        undo.compensationStarted(started());

        forward.handle(key("key-1"));

        assertTrue(keystore.calls.isEmpty());
        assertTrue(outbox.published.isEmpty());
    }

    @Test
    void tombstoneBetweenStoringTheKeyAndWritingIt_theWriteNeverStarts() {
        forward.handle(requested());
        KeyCreated key = key("key-1");
        // The key half is committed (the row is UPDATING), then compensation begins before the write takes the
        // row lock: the write sees the tombstone.
        PendingUpdate update = ledger.accept(key).orElseThrow();
        assertEquals(EntryStatus.UPDATING, entry().status);
        undo.compensationStarted(started());

        ledger.write(key, update, pending -> fail("the keystore must not be written after the tombstone"));

        assertTrue(inbox.recorded.contains(key.eventId()));
        assertEquals(EntryStatus.FAILED, entry().status);
        assertEquals("compensation_started", entry().failureType);
        assertTrue(outbox.published.isEmpty(), "no KeystoreUpdateFailed: the undo chain reports for this step");

        undo.removeEntry(remoteRemoved());

        assertTrue(keystore.calls.isEmpty(), "nothing was written, nothing to remove");
        assertFalse(assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published)).removed());
    }

    @Test
    void writeCutShortByACrash_isInDoubt_soItIsRemoved() {
        forward.handle(requested());
        KeyCreated key = key("key-1");
        // The key half committed, then the service died during the PATCH: no outcome was recorded.
        ledger.accept(key).orElseThrow();

        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        assertEquals(List.of(new Fakes.Removal(LOCAL, SETTING)), keystore.removals);
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());

        // The KeyCreated is redelivered after the restart: the tombstone keeps it from writing again.
        forward.handle(key);
        assertTrue(keystore.puts.isEmpty());
        assertEquals(1, outbox.published.size());
    }

    @Test
    void compensationArrivingWhileTheWriteIsInFlight_theWriteIsStillUndone() {
        forward.handle(requested());
        // In the service the row lock makes CompensationStarted wait for the write; either way its outcome must be
        // known to the removal that follows.
        keystore.duringPut = () -> undo.compensationStarted(started());
        forward.handle(key("key-1"));
        assertTrue(entry().compensating());

        undo.removeEntry(remoteRemoved());

        assertEquals(2, keystore.calls.size());
        assertInstanceOf(Fakes.Put.class, keystore.calls.get(0));
        assertInstanceOf(Fakes.Removal.class, keystore.calls.get(1), "the removal comes after the write");
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void replacedKeyRefused_afterAnEarlierWrite_stillRemovesTheEntry() {
        forward.handle(requested());
        forward.handle(key("key-1"));
        keystore.failures.add(CloudApiException.fromResponse(400,
                "{\"errors\":[{\"code\":\"root.invalid_json_request\",\"message\":\"bad\"}]}"));
        forward.handle(new KeyCreated(UUID.randomUUID().toString(), connection, T0.plusSeconds(60), "key-2",
                "crosslink-" + connection, box.seal(ENCODED_KEY, connection)));
        assertEquals(EntryStatus.FAILED, entry().status);

        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size(), "key-1 is still in the keystore");
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void repeatedChain_removesAgainAndAnnouncesAgain() {
        forward.handle(requested());
        forward.handle(key("key-1"));
        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        // DELETE of the connection afterwards: a new chain, new event ids.
        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        assertEquals(2, keystore.removals.size(), "the idempotent removal runs again");
        List<KeystoreEntryRemoved> removed = outbox.published.stream()
                .filter(KeystoreEntryRemoved.class::isInstance).map(KeystoreEntryRemoved.class::cast).toList();
        assertEquals(2, removed.size());
        assertTrue(removed.stream().allMatch(KeystoreEntryRemoved::removed));
        assertEquals(UndoStatus.REMOVED, entry().undoStatus);
    }

    @Test
    void repeatedChain_withNothingWritten_announcesAgainWithoutCalls() {
        forward.handle(requested());
        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());
        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        assertTrue(keystore.calls.isEmpty());
        assertEquals(2, outbox.published.size());
        assertTrue(outbox.published.stream().noneMatch(e -> ((KeystoreEntryRemoved) e).removed()));
    }

    @Test
    void redeliveredChainEvents_changeNothing() {
        forward.handle(requested());
        forward.handle(key("key-1"));
        CompensationStarted started = started();
        RemoteRemoved remoteRemoved = remoteRemoved();
        undo.compensationStarted(started);
        undo.removeEntry(remoteRemoved);

        undo.compensationStarted(started);
        undo.removeEntry(remoteRemoved);

        assertEquals(1, keystore.removals.size());
        assertEquals(2, outbox.published.size(), "KeystoreUpdated and one KeystoreEntryRemoved");
    }

    @Test
    void permanentRemovalError_failsRedacted() {
        forward.handle(requested());
        forward.handle(key("key-1"));
        // A Cloud API refusal quoting the caller's credentials and a keystore body with a value.
        String body = "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"ApiKey " + CLOUD_API_KEY
                + " may not change {\\\"secrets\\\":{\\\"" + SETTING + "\\\":{\\\"value\\\":\\\"" + ENCODED_KEY
                + "\\\"}}} (was " + ENCODED_KEY + ")\"}]}";
        keystore.removalFailures.add(CloudApiException.fromResponse(403, body, CLOUD_API_KEY));

        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size(), "a permanent failure is not retried");
        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals("root.forbidden", failed.failure().type());
        assertEquals(403, failed.failure().httpStatus());
        assertFalse(failed.failure().retryable());
        assertTrue(failed.failure().reason().contains("may not change"), failed.failure().reason());
        String json = EventCodec.encode(failed);
        assertFalse(json.contains(CLOUD_API_KEY), json);
        assertFalse(json.contains(ENCODED_KEY), json);
        assertFalse(json.contains("dWkybHAyYXhUTm1zeWFrdzl0dk5udw"), json);
        assertEquals(UndoStatus.REMOVAL_FAILED, entry().undoStatus);
        assertFalse(entry().removalFailureReason.contains(CLOUD_API_KEY));
        assertFalse(entry().removalFailureReason.contains(ENCODED_KEY));
    }

    @Test
    void transientRemovalErrorBeyondTheRetries_failsAsRetryable_andARepeatedChainRetries() {
        forward.handle(requested());
        forward.handle(key("key-1"));
        keystore.removalFailures.add(CloudApiException.fromResponse(503,
                "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}"));

        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals("root.service_unavailable", failed.failure().type());
        assertTrue(failed.failure().retryable());
        assertEquals(UndoStatus.REMOVAL_FAILED, entry().undoStatus);

        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        assertEquals(2, keystore.removals.size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
        assertEquals(UndoStatus.REMOVED, entry().undoStatus);
    }

    @Test
    void removalTimingOut_failsAsRetryableTimeout() {
        forward.handle(requested());
        forward.handle(key("key-1"));
        keystore.removalFailures.add(new TimeoutException("timed out"));

        undo.compensationStarted(started());
        undo.removeEntry(remoteRemoved());

        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals("timeout", failed.failure().type());
        assertTrue(failed.failure().retryable());
    }

    // --- helpers

    private KeystoreEntry entry() {
        return entries.rows.get(connection);
    }

    private ConnectionEvent last() {
        assertFalse(outbox.published.isEmpty(), "nothing published");
        return outbox.published.get(outbox.published.size() - 1);
    }

    private static ConnectionEvent single(List<ConnectionEvent> events) {
        assertEquals(1, events.size(), () -> "events: " + events);
        return events.get(0);
    }

    private ConnectionRequested requested() {
        ConnectionRequest request = new ConnectionRequest(ALIAS, SecurityModel.API_KEY,
                new DeploymentRef("ece", LOCAL_ID, null),
                new DeploymentRef("ess", "0b5e55ed12345678abcdef0123456789", null),
                new Access(List.of(new Access.Search(List.of("demo-*"), null, null, null)), null), true);
        return new ConnectionRequested(UUID.randomUUID().toString(), connection, T0, request,
                new DeploymentInfo("ece", LOCAL_ID, "main-elasticsearch", "e5f60718293a4b5cc0ffee00a1b2c3d4",
                        "127.0.10.1", "8.19.21"),
                new DeploymentInfo("ess", "0b5e55ed12345678abcdef0123456789", "main-elasticsearch",
                        "abcdef01234567890b5e55ed12345678", "127.0.10.2", "8.19.21"));
    }

    private KeyCreated key(String keyId) {
        return new KeyCreated(UUID.randomUUID().toString(), connection, T0, keyId, "crosslink-" + connection,
                box.seal(ENCODED_KEY, connection));
    }

    private CompensationStarted started() {
        return new CompensationStarted(UUID.randomUUID().toString(), connection, Instant.now(),
                CompensationCause.FAILURE, new StepFailure("verification_failed", "no search through the remote",
                        null, false));
    }

    private RemoteRemoved remoteRemoved() {
        return new RemoteRemoved(UUID.randomUUID().toString(), connection, Instant.now(), ALIAS, true);
    }
}

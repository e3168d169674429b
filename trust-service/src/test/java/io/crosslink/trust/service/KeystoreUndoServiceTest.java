package io.crosslink.trust.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.Access;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.Certainty;
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
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.runtime.work.Work;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.domain.EntryStatus;
import io.crosslink.trust.domain.KeystoreEntry;
import io.crosslink.trust.domain.UndoStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The undo of the keystore step without broker, database or Quarkus: one test per path. The forward step runs
 * through the same in-memory rows, so each test starts from what the step really left behind; the consumers record
 * and {@link Fakes.Worker} runs the work items they queue ({@code write-keystore}, {@code remove-keystore-entry}) as
 * the dispatcher would, one at a time per connection.
 */
class KeystoreUndoServiceTest {
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String ALIAS = "eu-logs";
    static final String SETTING = "cluster.remote.eu-logs.credentials";
    static final DeploymentResource LOCAL = new DeploymentResource("ece", LOCAL_ID, "main-elasticsearch");
    static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    static final String ENCODED_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    static final String CLOUD_API_KEY = "ece-cloud-api-key-0123456789abcdef";
    static final Duration REPORT_MARGIN = Duration.ofSeconds(30);

    final SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
    final Fakes.Entries entries = new Fakes.Entries();
    final Fakes.RecordingInbox inbox = new Fakes.RecordingInbox();
    final Fakes.RecordingOutbox outbox = new Fakes.RecordingOutbox();
    final Fakes.Keystore keystore = new Fakes.Keystore();
    final Fakes.Queue queue = new Fakes.Queue();
    final TrustFakes.MovingClock clock = new TrustFakes.MovingClock();
    final CloudApiRetry retry = new CloudApiRetry(4, Duration.ofMillis(100), Duration.ofMillis(400));
    KeystoreLedger ledger;
    ApiKeyTrustService forward;
    KeystoreUndoService undo;
    Fakes.Worker worker;
    String connection;

    @BeforeEach
    void setUp() {
        Fakes.SigningCa signingCa = new Fakes.SigningCa(entries, outbox);
        ledger = new KeystoreLedger(entries, inbox, outbox, queue, signingCa.ledger);
        forward = new ApiKeyTrustService(ledger, keystore, box, retry);
        undo = new KeystoreUndoService(new RemovalLedger(entries, inbox, outbox, queue, signingCa.grants), keystore,
                new UndoRetry(retry, new UndoBudget(REPORT_MARGIN, clock)), signingCa.ledger, signingCa.writer);
        worker = new Fakes.Worker(queue, clock, forward, undo);
        connection = UUID.randomUUID().toString();
    }

    @Test
    void writtenThenRemoteRemoved_removesTheEntryAndAnnouncesIt() {
        forward(requested());
        forward(key("key-1"));
        assertInstanceOf(KeystoreUpdated.class, last());

        CompensationStarted started = started();
        undo.compensationStarted(started);
        assertTrue(entry().compensating());
        assertTrue(keystore.removals.isEmpty(), "the keystore undo waits for the remote's removal");

        RemoteRemoved remoteRemoved = remoteRemoved();
        undo.removeEntry(remoteRemoved);
        assertTrue(keystore.removals.isEmpty(), "the consumer only queues the removal");
        Work removal = queue.items.get(0);
        assertEquals(KeystoreUndoService.KIND, removal.kind());
        assertEquals(List.of("ece/" + LOCAL_ID), removal.deployments());
        assertTrue(inbox.recorded.containsAll(List.of(started.eventId(), remoteRemoved.eventId())));
        worker.runAll();

        assertEquals(List.of(new Fakes.Removal(LOCAL, SETTING)), keystore.removals);
        assertInstanceOf(Fakes.Put.class, keystore.calls.get(0));
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, last());
        assertEquals(connection, removed.connectionId());
        assertEquals(SETTING, removed.settingName());
        assertTrue(removed.removed());
        assertEquals(2, outbox.published.size());
        assertEquals(UndoStatus.REMOVED, entry().undoStatus);
        assertNotNull(entry().removedAt);
        assertTrue(keystore.names.isEmpty());
    }

    @Test
    void remoteRemovalFailed_stillRemovesTheEntry() {
        forward(requested());
        forward(key("key-1"));
        undo.compensationStarted(started());

        removeEntry(new RemoteRemovalFailed(UUID.randomUUID().toString(), connection, Instant.now(),
                new StepFailure("cluster_block_exception", "blocked", 403, false)));

        assertEquals(1, keystore.removals.size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void nothingWritten_announcesRemovedFalseWithoutCallingTheCloudApi() {
        forward(requested());
        undo.compensationStarted(started());

        removeEntry(remoteRemoved());

        assertTrue(keystore.calls.isEmpty(), "no Cloud API call");
        assertTrue(queue.all.isEmpty(), "no work item either: the consumer announced it at once");
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published));
        assertEquals(SETTING, removed.settingName());
        assertFalse(removed.removed());
        assertEquals(UndoStatus.REMOVED, entry().undoStatus);
    }

    @Test
    void connectionNeverSeen_getsATombstoneRowAndRemovedFalse() {
        undo.compensationStarted(started());
        assertTrue(entry().compensating(), "the row is created for the tombstone");

        removeEntry(remoteRemoved());

        assertTrue(keystore.calls.isEmpty());
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published));
        assertEquals(SETTING, removed.settingName(), "named after the alias RemoteRemoved carries");
        assertFalse(removed.removed());
    }

    @Test
    void permanentlyRefusedWrite_leftNothingToRemove() {
        keystore.refusePut(ElasticCallException.fromResponse(404,
                "{\"errors\":[{\"code\":\"deployments.deployment_not_found\",\"message\":\"not found\"}]}"));
        forward(requested());
        forward(key("key-1"));
        assertInstanceOf(KeystoreUpdateFailed.class, last());

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertTrue(keystore.removals.isEmpty());
        assertFalse(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void writeFailedTransientlyBeyondTheAttempts_mayHaveApplied_soItIsRemoved() {
        // 503 after forwarding, or a dropped connection: the change may have happened although the call failed.
        for (int i = 0; i < 4; i++) {
            keystore.refusePut(ElasticCallException.fromResponse(503,
                    "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}"));
        }
        forward(requested());
        forward(key("key-1"));
        assertInstanceOf(KeystoreUpdateFailed.class, last());

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void writeTimedOut_mayHaveApplied_soItIsRemoved() {
        for (int i = 0; i < 4; i++) {
            keystore.refusePut(ElasticCallException.fromException(new java.util.concurrent.TimeoutException("timed out")));
        }
        forward(requested());
        forward(key("key-1"));

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void writeParkedAfterATransientFailure_thenCompensation_isRemovedAndNeverWrittenAgain() {
        keystore.refusePut(ElasticCallException.fromResponse(503,
                "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}"));
        forward(requested());
        forward.handle(key("key-1"));
        assertTrue(worker.runNext(), "the write runs once and parks");
        assertEquals(1, worker.parks().size());

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(1, keystore.puts.size(), "the parked write saw the tombstone and did not write again");
        assertEquals(1, keystore.removals.size(), "the 503 may have applied: removed");
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published)).removed(),
                "no KeystoreUpdateFailed: the undo chain reports for the step");
        assertEquals(EntryStatus.FAILED, entry().status);
        assertEquals("compensation_started", entry().failureType);
    }

    @Test
    void keyCreatedAfterTheUndo_isRecordedButNeverWritten() {
        forward(requested());
        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        KeyCreated late = key("key-1");
        forward(late);

        assertTrue(keystore.calls.isEmpty(), "the tombstone blocks the write");
        assertTrue(inbox.recorded.contains(late.eventId()), "the late event is recorded");
        assertEquals(1, outbox.published.size(), "nothing announced for it");
        assertFalse(entry().hasKey(), "nothing else is kept of it");
    }

    @Test
    void keyCreatedAfterCompensationStarted_isNeverWritten() {
        forward(requested());
        undo.compensationStarted(started());

        forward(key("key-1"));

        assertTrue(keystore.calls.isEmpty());
        assertTrue(outbox.published.isEmpty());
        assertTrue(queue.all.isEmpty());
    }

    @Test
    void tombstoneBetweenStoringTheKeyAndWritingIt_theWriteNeverStarts() {
        forward(requested());
        KeyCreated key = key("key-1");
        // The key half is committed (the row is UPDATING, the write queued), then compensation begins before the
        // work item runs: it sees the tombstone.
        forward.handle(key);
        assertEquals(EntryStatus.UPDATING, entry().status);
        undo.compensationStarted(started());

        worker.runAll();

        assertTrue(keystore.calls.isEmpty(), "the keystore must not be written after the tombstone");
        assertTrue(inbox.recorded.contains(key.eventId()));
        assertEquals(EntryStatus.FAILED, entry().status);
        assertEquals("compensation_started", entry().failureType);
        assertTrue(outbox.published.isEmpty(), "no KeystoreUpdateFailed: the undo chain reports for this step");

        removeEntry(remoteRemoved());

        assertTrue(keystore.calls.isEmpty(), "nothing was written, nothing to remove");
        assertFalse(assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published)).removed());
    }

    @Test
    void writeCutShortByACrash_isInDoubt_soItIsRemoved() {
        forward(requested());
        KeyCreated key = key("key-1");
        forward.handle(key);
        // The work item marked its write in flight, sent the PATCH and the service died: no outcome was recorded.
        ledger.beginWrite(connection).orElseThrow();
        keystore.putSecret(LOCAL, SETTING, ENCODED_KEY);

        undo.compensationStarted(started());
        removeEntry(remoteRemoved()); // the crashed item runs again after its lease, sees the tombstone; the removal

        assertEquals(1, keystore.puts.size(), "not written again after the tombstone");
        assertEquals(List.of(new Fakes.Removal(LOCAL, SETTING)), keystore.removals);
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
        assertTrue(keystore.names.isEmpty());

        // The KeyCreated is redelivered after the restart: recorded already, nothing happens.
        forward(key);
        assertEquals(1, keystore.puts.size());
        assertEquals(1, outbox.published.size());
    }

    @Test
    void compensationArrivingWhileTheWriteIsInFlight_theWriteIsStillUndone() {
        forward(requested());
        // No row lock is held during the PATCH: the consumer records CompensationStarted and RemoteRemoved meanwhile.
        // The removal is a work item of the same connection, so it runs after the write, and sees its outcome.
        keystore.duringPut = () -> {
            undo.compensationStarted(started());
            undo.removeEntry(remoteRemoved());
        };
        forward(key("key-1"));
        assertTrue(entry().compensating());

        assertEquals(2, keystore.calls.size());
        assertInstanceOf(Fakes.Put.class, keystore.calls.get(0));
        assertInstanceOf(Fakes.Removal.class, keystore.calls.get(1), "the removal comes after the write");
        assertInstanceOf(KeystoreUpdated.class, outbox.published.get(0), "the write in flight is recorded");
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
        assertTrue(keystore.names.isEmpty());
    }

    @Test
    void replacedKeyRefused_afterAnEarlierWrite_stillRemovesTheEntry() {
        forward(requested());
        forward(key("key-1"));
        keystore.refusePut(ElasticCallException.fromResponse(400,
                "{\"errors\":[{\"code\":\"root.invalid_json_request\",\"message\":\"bad\"}]}"));
        forward(new KeyCreated(UUID.randomUUID().toString(), connection, T0.plusSeconds(60), "key-2",
                "crosslink-" + connection, box.seal(ENCODED_KEY, connection)));
        assertEquals(EntryStatus.FAILED, entry().status);

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size(), "key-1 is still in the keystore");
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
    }

    @Test
    void repeatedChain_removesAgainAndAnnouncesAgain() {
        forward(requested());
        forward(key("key-1"));
        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        // DELETE of the connection afterwards: a new chain, new event ids.
        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(2, keystore.removals.size(), "the idempotent removal runs again");
        List<KeystoreEntryRemoved> removed = outbox.published.stream()
                .filter(KeystoreEntryRemoved.class::isInstance).map(KeystoreEntryRemoved.class::cast).toList();
        assertEquals(2, removed.size());
        assertTrue(removed.stream().allMatch(KeystoreEntryRemoved::removed));
        assertEquals(UndoStatus.REMOVED, entry().undoStatus);
    }

    @Test
    void repeatedChain_withNothingWritten_announcesAgainWithoutCalls() {
        forward(requested());
        undo.compensationStarted(started());
        removeEntry(remoteRemoved());
        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertTrue(keystore.calls.isEmpty());
        assertEquals(2, outbox.published.size());
        assertTrue(outbox.published.stream().noneMatch(e -> ((KeystoreEntryRemoved) e).removed()));
    }

    @Test
    void redeliveredChainEvents_changeNothing() {
        forward(requested());
        forward(key("key-1"));
        CompensationStarted started = started();
        RemoteRemoved remoteRemoved = remoteRemoved();
        undo.compensationStarted(started);
        removeEntry(remoteRemoved);

        undo.compensationStarted(started);
        removeEntry(remoteRemoved);

        assertEquals(1, keystore.removals.size());
        assertEquals(2, outbox.published.size(), "KeystoreUpdated and one KeystoreEntryRemoved");
    }

    @Test
    void removalRunAgainAfterItsCommit_announcesNothingTwice() {
        forward(requested());
        forward(key("key-1"));
        undo.compensationStarted(started());
        removeEntry(remoteRemoved());
        Work removal = queue.all.stream().filter(w -> w.kind().equals(KeystoreUndoService.KIND)).findFirst()
                .orElseThrow();

        // The service stopped after the commit, before the item was marked done: the item runs again.
        undo.run(removal);

        assertEquals(1, keystore.removals.size());
        assertEquals(2, outbox.published.size());
    }

    @Test
    void permanentRemovalError_failsRedacted() {
        forward(requested());
        forward(key("key-1"));
        // A Cloud API refusal quoting the caller's credentials and a keystore body with a value.
        String body = "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"ApiKey " + CLOUD_API_KEY
                + " may not change {\\\"secrets\\\":{\\\"" + SETTING + "\\\":{\\\"value\\\":\\\"" + ENCODED_KEY
                + "\\\"}}} (was " + ENCODED_KEY + ")\"}]}";
        keystore.refuseRemoval(ElasticCallException.fromResponse(403, body, CLOUD_API_KEY));

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size(), "a permanent failure is not retried");
        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals(Certainty.CONFIRMED, failed.certainty(), "the keystore read after the refusal lists the entry");
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
    void transientRemovalErrorsBeyondTheAttempts_entryStillListed_failAsRetryable_andARepeatedChainRetries() {
        forward(requested());
        forward(key("key-1"));
        for (int i = 0; i < 4; i++) {
            keystore.refuseRemoval(ElasticCallException.fromResponse(503,
                    "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}"));
        }

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(4, keystore.removals.size(), "the configured attempts");
        assertEquals(3, worker.parks().size(), "parked between them");
        assertEquals(4, keystore.reads.size(), "each run after a failure reads first, and once more at the end");
        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals("root.service_unavailable", failed.failure().type());
        assertTrue(failed.failure().retryable());
        assertEquals(Certainty.CONFIRMED, failed.certainty(), "the last read lists the entry");
        assertEquals(UndoStatus.REMOVAL_FAILED, entry().undoStatus);
        assertEquals(java.util.Set.of(SETTING), keystore.names, "reported failed because it is still there");

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(5, keystore.removals.size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed());
        assertEquals(UndoStatus.REMOVED, entry().undoStatus);
    }

    @Test
    void removalTimingOut_entryStillListed_failsAsRetryableTimeout() {
        forward(requested());
        forward(key("key-1"));
        for (int i = 0; i < 4; i++) {
            keystore.refuseRemoval(ElasticCallException.fromException(new java.util.concurrent.TimeoutException("timed out")));
        }

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals("timeout", failed.failure().type());
        assertTrue(failed.failure().retryable());
    }

    @Test
    void removalAppliedAfterTheClientTimedOut_theNextRunReadsTheKeystore_andReportsRemoved() {
        forward(requested());
        forward(key("key-1"));
        // The Cloud API applies the removal, but only after the client gave up on it.
        keystore.loseRemovalAnswer(ElasticCallException.fromException(new java.util.concurrent.TimeoutException("timed out")));

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size(), "no second removal: the read showed it gone");
        assertEquals(1, keystore.reads.size());
        assertInstanceOf(Fakes.Read.class, keystore.calls.get(keystore.calls.size() - 1));
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed(), "the truth, not a leftover");
        assertEquals(UndoStatus.REMOVED, entry().undoStatus);
    }

    @Test
    void lastRemovalAppliedDespiteItsError_aLastLookReportsRemoved() {
        forward(requested());
        forward(key("key-1"));
        for (int i = 0; i < 3; i++) {
            keystore.refuseRemoval(ElasticCallException.fromResponse(503,
                    "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}"));
        }
        keystore.loseRemovalAnswer(ElasticCallException.fromResponse(502,
                "{\"errors\":[{\"code\":\"root.bad_gateway\",\"message\":\"upstream went away\"}]}"));

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(4, keystore.removals.size());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed(),
                "out of attempts, a last read found the entry gone");
    }

    @Test
    void removalInDoubt_andTheKeystoreUnreadable_reportsTheRemovalFailure() {
        forward(requested());
        forward(key("key-1"));
        keystore.refuseRemoval(ElasticCallException.fromResponse(503,
                "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}"));
        keystore.readFailures.add(ElasticCallException.fromResponse(403,
                "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"no reading\"}]}"));

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size());
        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals("root.service_unavailable", failed.failure().type(), "the removal's failure, in doubt");
        assertEquals(Certainty.POSSIBLE, failed.certainty(), "nothing could be read");
    }

    @Test
    void permanentRemovalErrorAfterTheRemovalTookEffect_aLastLookReportsRemoved() {
        forward(requested());
        forward(key("key-1"));
        keystore.loseRemovalAnswer(ElasticCallException.fromResponse(400,
                "{\"errors\":[{\"code\":\"root.invalid\",\"message\":\"answered late\"}]}"));

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        assertEquals(1, keystore.removals.size());
        assertEquals(1, keystore.reads.size(), "the refusal is checked against the keystore");
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class, last()).removed(), "the truth, not a leftover");
    }

    @Test
    void permanentRemovalErrorAndAnUnreadableKeystore_isAPossibleLeftover() {
        forward(requested());
        forward(key("key-1"));
        keystore.refuseRemoval(ElasticCallException.fromResponse(403,
                "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"no\"}]}"));
        keystore.readFailures.add(ElasticCallException.fromResponse(403,
                "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"no reading\"}]}"));

        undo.compensationStarted(started());
        removeEntry(remoteRemoved());

        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals("root.forbidden", failed.failure().type());
        assertEquals(Certainty.POSSIBLE, failed.certainty());
    }

    // --- the chain: echoed on every answer, and its deadline bounds the retries

    @Test
    void removed_carriesTheChainOfTheTriggerBack() {
        forward(requested());
        forward(key("key-1"));
        UndoChain chain = chain(Duration.ofMinutes(15));
        undo.compensationStarted(started(chain));

        removeEntry(remoteRemoved(chain));

        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, last());
        assertTrue(removed.removed());
        assertEquals(chain, removed.chain());
    }

    @Test
    void nothingWritten_removedFalse_carriesTheChainOfRemoteRemovalFailed() {
        forward(requested());
        UndoChain chain = chain(Duration.ofMinutes(15));
        undo.compensationStarted(started(chain));

        removeEntry(new RemoteRemovalFailed(UUID.randomUUID().toString(), connection, Instant.now(),
                new StepFailure("http_503", "unavailable", 503, true), Certainty.POSSIBLE, chain));

        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, single(outbox.published));
        assertFalse(removed.removed());
        assertEquals(chain, removed.chain());
    }

    @Test
    void removalFailed_carriesTheChainOfTheTriggerBack() {
        forward(requested());
        forward(key("key-1"));
        keystore.refuseRemoval(ElasticCallException.fromResponse(403,
                "{\"errors\":[{\"code\":\"root.forbidden\",\"message\":\"no\"}]}"));
        UndoChain chain = chain(Duration.ofMinutes(15));
        undo.compensationStarted(started(chain));

        removeEntry(remoteRemoved(chain));

        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, last());
        assertEquals(Certainty.CONFIRMED, failed.certainty());
        assertEquals(chain, failed.chain());
        assertEquals(1, keystore.removals.size(), "a refusal reports at once, however far the deadline");
    }

    @Test
    void repeatedChain_eachAnswerCarriesItsOwnChain() {
        forward(requested());
        forward(key("key-1"));
        UndoChain first = chain(Duration.ofMinutes(15));
        undo.compensationStarted(started(first));
        removeEntry(remoteRemoved(first));
        UndoChain second = chain(Duration.ofMinutes(15));
        undo.compensationStarted(started(second));
        removeEntry(remoteRemoved(second));

        assertEquals(List.of(first, second), outbox.published.stream().filter(KeystoreEntryRemoved.class::isInstance)
                .map(event -> ((KeystoreEntryRemoved) event).chain()).toList());
    }

    @Test
    void transientFailuresBeyondTheAttempts_areRetriedWhileTheChainsDeadlineAllows() {
        forward(requested());
        forward(key("key-1"));
        for (int i = 0; i < 10; i++) {
            keystore.refuseRemoval(unavailable());
        }
        UndoChain chain = chain(Duration.ofMinutes(15));
        undo.compensationStarted(started(chain));

        removeEntry(remoteRemoved(chain));

        assertEquals(11, keystore.removals.size(), "ten failures, far beyond the 4 configured runs, then removed");
        assertEquals(10, worker.parks().size());
        assertTrue(worker.parkDelays().stream().allMatch(delay -> delay.toMillis() <= 480),
                "the same backoff: " + worker.parkDelays());
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, last());
        assertTrue(removed.removed());
        assertEquals(chain, removed.chain());
        assertTrue(keystore.names.isEmpty());
    }

    @Test
    void transientFailuresUntilTheChainsDeadline_theFinalReadDecides() {
        forward(requested());
        forward(key("key-1"));
        RuntimeException unavailable = unavailable();
        for (int i = 0; i < 5_000; i++) {
            keystore.refuseRemoval(unavailable);
        }
        UndoChain chain = chain(Duration.ofMinutes(2));
        Instant lastStart = chain.deadline().minus(REPORT_MARGIN);
        undo.compensationStarted(started(chain));

        removeEntry(remoteRemoved(chain));

        assertTrue(keystore.removals.size() > 100, "retried for 90 s: " + keystore.removals.size() + " removals");
        assertTrue(clock.now.isBefore(lastStart), "no run after the deadline less the margin: " + clock.now);
        assertFalse(clock.now.plusMillis(480).isBefore(lastStart), "it stopped only when no park fitted: "
                + clock.now);
        assertInstanceOf(Fakes.Read.class, keystore.calls.get(keystore.calls.size() - 1), "a final read");
        KeystoreEntryRemovalFailed failed = assertInstanceOf(KeystoreEntryRemovalFailed.class, single(
                outbox.published.subList(1, outbox.published.size())));
        assertEquals("root.service_unavailable", failed.failure().type());
        assertEquals(Certainty.CONFIRMED, failed.certainty(), "the final read lists the entry");
        assertEquals(chain, failed.chain());
    }

    @Test
    void aChainWhoseDeadlineIsNear_readsAndReportsAfterOneRun_attemptsLeftOrNot() {
        forward(requested());
        forward(key("key-1"));
        keystore.loseRemovalAnswer(unavailable()); // applied, the answer lost: only a read can tell
        UndoChain chain = chain(REPORT_MARGIN.plusMillis(50));
        undo.compensationStarted(started(chain));

        removeEntry(remoteRemoved(chain));

        assertEquals(1, keystore.removals.size(), "no park fits before the deadline less the margin");
        assertTrue(worker.parks().isEmpty());
        assertEquals(1, keystore.reads.size(), "the final read at once");
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, last());
        assertTrue(removed.removed(), "the read found the entry gone");
        assertEquals(chain, removed.chain());
    }

    // --- helpers

    /** A run of the chain that started now and ends after {@code left} on the test's clock. */
    private UndoChain chain(Duration left) {
        return new UndoChain(UUID.randomUUID().toString(), clock.instant().plus(left));
    }

    private CompensationStarted started(UndoChain chain) {
        return new CompensationStarted(chain.id(), connection, clock.instant(), CompensationCause.FAILURE,
                new StepFailure("verification_failed", "no search through the remote", null, false), chain,
                SecurityModel.API_KEY);
    }

    private RemoteRemoved remoteRemoved(UndoChain chain) {
        return new RemoteRemoved(UUID.randomUUID().toString(), connection, clock.instant(), ALIAS, true, null, chain);
    }

    private static RuntimeException unavailable() {
        return ElasticCallException.fromResponse(503,
                "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}");
    }

    /** The consumer records the event; then the work items it queued run to their end. */
    private void forward(ConnectionEvent event) {
        forward.handle(event);
        worker.runAll();
    }

    private void removeEntry(ConnectionEvent trigger) {
        undo.removeEntry(trigger);
        worker.runAll();
    }

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

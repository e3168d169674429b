package io.crosslink.key.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.key.domain.KeySpec;
import io.crosslink.key.domain.KeyState;
import io.crosslink.key.support.TestEvents;
import io.crosslink.runtime.work.WorkResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * key-service's undo without broker, database or Elasticsearch: one test per path, in every order the two
 * consumers ({@code connect-events}, {@code trust-events}) can see the events in, and with the work items of a
 * connection running one at a time in between ({@link WorkRunner}, as the dispatcher does).
 */
class KeyUndoStepTest {
    private static final String REMOTE = "0b5e55ed12345678abcdef0123456789";
    private static final String PASSWORD = "s3cr3t-Passw0rd-of-the-remote-user";

    private final FakeElasticClient elastic = new FakeElasticClient();
    private final InMemoryKeyRegistry registry = new InMemoryKeyRegistry();
    private final SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
    private final KeyUndoStep undo = new KeyUndoStep(registry);
    private final KeyCreationStep create = new KeyCreationStep(registry, box);
    private final WorkRunner work = new WorkRunner(registry,
            new CreateKeyHandler(registry, new KeyProvisioner(elastic), box, KeyCreationStepTest.RETRIES,
                    Clock.systemUTC()),
            new InvalidateKeysHandler(registry, new KeyInvalidator(elastic), KeyCreationStepTest.RETRIES,
                    KeyCreationStepTest.BUDGET));

    private final String connectionId = TestEvents.newConnectionId();
    private final String keyName = "crosslink-" + connectionId;

    @Test
    void undoAfterCreateInvalidatesTheKeyAndSaysSo() {
        KeyCreated created = createKey();
        elastic.calls.clear();
        KeystoreEntryRemoved removed = TestEvents.keystoreEntryRemoved(connectionId);

        undoRequested(removed);

        assertTrue(elastic.active(keyName).isEmpty(), "no active key left on R");
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, last());
        assertEquals(List.of(created.keyId()), invalidated.keyIds());
        assertTrue(invalidated.removed());
        assertEquals(List.of("GET /_security/api_key " + keyName, "DELETE /_security/api_key [" + created.keyId() + "]"),
                elastic.calls);
        assertEquals(KeyState.INVALIDATED, registry.keys.get(connectionId).state());
        assertTrue(registry.inbox.contains(removed.eventId()));
    }

    @Test
    void undoWhenNothingWasCreatedOnlyLooksAndSaysNothingWasRemoved() {
        elastic.failNextCreate(ElasticCallException.fromResponse(400,
                "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"bad access\"},\"status\":400}"));
        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        assertInstanceOf(KeyCreationFailed.class, last());
        elastic.calls.clear();

        undoRequested(TestEvents.keystoreEntryRemovalFailed(connectionId));

        assertEquals(List.of("GET /_security/api_key " + keyName), elastic.calls, "only the lookup, on R");
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, last());
        assertEquals(List.of(), invalidated.keyIds());
        assertFalse(invalidated.removed());
    }

    @Test
    void undoTwiceChangesNothingOnElasticButAnnouncesAgain() {
        KeyCreated created = createKey();
        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));
        elastic.calls.clear();
        int events = registry.outbox.size();

        // A repeated chain (e.g. DELETE of the FAILED connection): another KeystoreEntryRemoved, another event id.
        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        assertEquals(List.of("GET /_security/api_key " + keyName), elastic.calls, "no DELETE: nothing is active");
        assertEquals(events + 1, registry.outbox.size());
        KeyInvalidated again = assertInstanceOf(KeyInvalidated.class, last());
        assertFalse(again.removed());
        assertFalse(elastic.keys.get(created.keyId()).active);
        assertEquals(1, elastic.keys.size());
    }

    @Test
    void redeliveredUndoEventIsANoOp() {
        createKey();
        KeystoreEntryRemoved removed = TestEvents.keystoreEntryRemoved(connectionId);
        undoRequested(removed);
        elastic.calls.clear();
        int events = registry.outbox.size();

        int items = registry.work.size();

        undoRequested(removed);

        assertEquals(List.of(), elastic.calls);
        assertEquals(events, registry.outbox.size());
        assertEquals(items, registry.work.size(), "no work for a redelivery");
    }

    @Test
    void undoBeforeTheRequestMeansNoKeyIsEverCreated() {
        KeystoreEntryRemoved removed = TestEvents.keystoreEntryRemoved(connectionId);

        // key-service lags on connect-events: the undo arrives first and cannot know where R is yet.
        undoRequested(removed);

        assertEquals(List.of(), elastic.calls);
        assertEquals(List.of(), registry.outbox, "nothing to say before R is known");
        assertTrue(registry.inbox.contains(removed.eventId()), "the pending undo is recorded");
        assertEquals(List.of(), registry.work, "no work before R is known");

        ConnectionRequested requested = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());
        requested(requested);

        assertEquals(List.of("GET /_security/api_key " + keyName), elastic.calls, "R searched, nothing created");
        assertTrue(elastic.keys.isEmpty());
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertFalse(invalidated.removed());
        assertTrue(registry.inbox.contains(requested.eventId()));
        assertEquals(REMOTE, registry.connections.get(connectionId).remoteDeploymentId());
        assertEquals(List.of(KeyWork.INVALIDATE_KEYS), registry.work.stream().map(item -> item.kind).toList(),
                "the request queued the undo, not a create");

        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        assertTrue(elastic.keys.isEmpty(), "a repeated request creates nothing either");
        assertTrue(registry.work.stream().noneMatch(item -> item.kind.equals(KeyWork.CREATE_KEY)));
    }

    @Test
    void undoBeforeTheRequestInvalidatesWhatAnEarlierAttemptLeftOnRemote() {
        ConnectionRequested requested = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());
        // A crash between the create and its commit left this key on R; the request is redelivered after the undo.
        FakeElasticClient.StoredKey leftOver = elastic.existing(REMOTE, KeySpec.of(requested));
        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        requested(requested);

        assertFalse(leftOver.active);
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertEquals(List.of(leftOver.id), invalidated.keyIds());
        assertTrue(invalidated.removed());
        assertEquals(1, elastic.keys.size(), "no new key");
    }

    @Test
    void tombstoneBlocksALateRequest() {
        undo.onCompensationStarted(TestEvents.compensationStarted(connectionId));
        ConnectionRequested late = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());

        requested(late);

        assertEquals(List.of(), elastic.calls, "no key is created after CompensationStarted");
        assertEquals(List.of(), registry.work);
        assertEquals(List.of(), registry.outbox);
        assertTrue(registry.inbox.contains(late.eventId()), "the late request is recorded");
        assertEquals(REMOTE, registry.connections.get(connectionId).remoteDeploymentId(), "R kept for the undo");

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        assertEquals(List.of("GET /_security/api_key " + keyName), elastic.calls);
        assertFalse(assertInstanceOf(KeyInvalidated.class, single()).removed());
    }

    @Test
    void anUnreadRequestsUndoAskedAfterCompensationStartedIsAnsweredAtOnceWithNothingRemoved() {
        UndoChain chain = newChain();
        // Its ConnectionRequested was dead-lettered here: CompensationStarted, on the same record key, comes first.
        undo.onCompensationStarted(TestEvents.compensationStarted(connectionId, chain, SecurityModel.API_KEY));
        assertEquals(List.of(), registry.outbox, "no undo asked yet");
        KeystoreEntryRemoved removed = TestEvents.keystoreEntryRemoved(connectionId, chain);

        undo.onUndoRequested(removed); // no work runs: answered in the transaction that records the undo

        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertEquals(List.of(), invalidated.keyIds());
        assertFalse(invalidated.removed());
        assertEquals(chain, invalidated.chain());
        assertTrue(registry.inbox.contains(removed.eventId()));
        assertEquals(List.of(), registry.work, "nothing to search: no key was ever created");
        work.drain();
        assertEquals(List.of(), elastic.calls);
    }

    @Test
    void anUnreadRequestsUndoAskedBeforeCompensationStartedIsAnsweredWhenThatArrives() {
        UndoChain chain = newChain();
        undo.onUndoRequested(TestEvents.keystoreEntryRemovalFailed(connectionId, chain));
        assertEquals(List.of(), registry.outbox, "waits: the request may still be read");
        CompensationStarted started = TestEvents.compensationStarted(connectionId, chain, SecurityModel.API_KEY);

        undo.onCompensationStarted(started);

        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertEquals(List.of(), invalidated.keyIds());
        assertFalse(invalidated.removed());
        assertEquals(chain, invalidated.chain());
        assertTrue(registry.inbox.contains(started.eventId()));
        assertEquals(List.of(), registry.work);

        undo.onCompensationStarted(started);
        assertEquals(1, registry.outbox.size(), "a redelivery answers nothing more");
    }

    @Test
    void aRerunOfAnUnreadRequestsUndoIsAnsweredForItsOwnRun() {
        UndoChain first = newChain();
        undo.onCompensationStarted(TestEvents.compensationStarted(connectionId, first, SecurityModel.API_KEY));
        undo.onUndoRequested(TestEvents.keystoreEntryRemoved(connectionId, first));
        UndoChain second = newChain();

        // DELETE of the FAILED connection: another run, its own CompensationStarted, then its keystore undo.
        undo.onCompensationStarted(TestEvents.compensationStarted(connectionId, second, SecurityModel.API_KEY));
        assertEquals(1, registry.outbox.size(), "the new run's undo is not asked yet");
        undo.onUndoRequested(TestEvents.keystoreEntryRemoved(connectionId, second));

        assertEquals(List.of(first, second), registry.outbox.stream()
                .map(event -> assertInstanceOf(KeyInvalidated.class, event).chain()).toList());
    }

    @Test
    void anOlderCompensationStartedNamingNoModelStillLetsTheKeystoreUndoBeAnswered() {
        // Keystore undo events exist only in the API-key model: the unnamed model cannot be the certificate one.
        undo.onCompensationStarted(TestEvents.compensationStarted(connectionId));
        UndoChain chain = newChain();

        undo.onUndoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));

        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertFalse(invalidated.removed());
        assertEquals(chain, invalidated.chain());
    }

    @Test
    void anUnreadCertificateModelRequestsStrayKeystoreUndoIsNotAnswered() {
        UndoChain chain = newChain();
        undo.onCompensationStarted(TestEvents.compensationStarted(connectionId, chain, SecurityModel.TLS_CERTIFICATE));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));

        assertEquals(List.of(), registry.outbox, "its chain ends with TrustRemoved, not with key-service");
        assertEquals(List.of(), registry.work);
        assertEquals(List.of(), elastic.calls);
    }

    @Test
    void aRequestReadAfterTheUndoButBeforeCompensationStartedIsStillSearchedOnRemote() {
        ConnectionRequested requested = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());
        FakeElasticClient.StoredKey leftOver = elastic.existing(REMOTE, KeySpec.of(requested));
        UndoChain chain = newChain();
        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));
        requested(requested);

        undo.onCompensationStarted(TestEvents.compensationStarted(connectionId, chain, SecurityModel.API_KEY));
        work.drain();

        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertEquals(List.of(leftOver.id), invalidated.keyIds(), "R was searched, as before");
        assertTrue(invalidated.removed());
        assertEquals(chain, invalidated.chain());
        assertFalse(leftOver.active);
        assertFalse(registry.connections.get(connectionId).requestUnread(), "the request was read");
    }

    @Test
    void compensationStartedWhileCreatingKeepsTheKeyUnannouncedForTheUndo() {
        elastic.duringNextCreate(() -> undo.onCompensationStarted(TestEvents.compensationStarted(connectionId)));

        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));

        assertEquals(List.of(), registry.outbox, "no KeyCreated after CompensationStarted");
        FakeElasticClient.StoredKey key = elastic.active(keyName).get(0);
        assertEquals(key.id, registry.keys.get(connectionId).keyId(), "recorded for the undo");

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        assertFalse(key.active);
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertEquals(List.of(key.id), invalidated.keyIds());
        assertTrue(invalidated.removed());
    }

    @Test
    void undoAskedForWhileCreatingInvalidatesTheNewKeyAtOnce() {
        KeystoreEntryRemoved removed = TestEvents.keystoreEntryRemoved(connectionId);
        // The trust-events consumer handles the undo while the connect-events consumer waits for R's answer.
        elastic.duringNextCreate(() -> undo.onUndoRequested(removed));

        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));

        assertTrue(elastic.active(keyName).isEmpty(), "the key created in the race is invalidated");
        assertEquals(1, elastic.keys.size());
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertEquals(List.of(registry.keys.get(connectionId).keyId()), invalidated.keyIds());
        assertTrue(invalidated.removed());
        assertTrue(registry.inbox.contains(removed.eventId()));
        assertEquals(KeyState.INVALIDATED, registry.keys.get(connectionId).state());
    }

    @Test
    void aLateCreateWhoseUndoRanAlreadyUndoesItsOwnKey() {
        KeystoreEntryRemoved removed = TestEvents.keystoreEntryRemoved(connectionId);
        // One item of a connection runs at a time; should the undo still run to its end while the key is being
        // created (say the create's instance lost its lease), the create's commit finds the undo asked for and none
        // pending. Here the undo searches R before the create makes the key: it finds nothing.
        elastic.duringNextLookup(() -> {
            undo.onUndoRequested(removed);
            work.drain(KeyWork.INVALIDATE_KEYS);
        });

        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));

        assertFalse(assertInstanceOf(KeyInvalidated.class, registry.outbox.get(0)).removed(), "the undo found nothing");
        assertEquals(2, registry.outbox.size(), () -> "events: " + registry.outbox);
        assertTrue(elastic.active(keyName).isEmpty(), "the late key is invalidated");
        assertTrue(registry.outbox.stream().noneMatch(KeyCreated.class::isInstance), "never announced");
        KeyInvalidated late = assertInstanceOf(KeyInvalidated.class, last());
        assertEquals(List.of(registry.keys.get(connectionId).keyId()), late.keyIds());
        assertTrue(late.removed());
        assertEquals(KeyState.INVALIDATED, registry.keys.get(connectionId).state());
        assertEquals(List.of(), registry.pendingWork());
    }

    @Test
    void compensationWhileTheCreateIsParkedCreatesNothing() {
        elastic.failNextCreate(ElasticCallException.fromResponse(503,
                "{\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"not available\"},\"status\":503}"));
        create.on(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        InMemoryKeyRegistry.QueuedWork createKey = registry.pendingWork().get(0);
        assertInstanceOf(WorkResult.Park.class, work.run(createKey));

        undo.onCompensationStarted(TestEvents.compensationStarted(connectionId));
        elastic.calls.clear();
        work.drain();

        assertEquals(List.of(), elastic.calls, "the parked create does not try again");
        assertTrue(createKey.finished);
        assertEquals(List.of(), registry.outbox);

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        assertEquals(List.of("GET /_security/api_key " + keyName), elastic.calls);
        assertFalse(assertInstanceOf(KeyInvalidated.class, single()).removed());
    }

    @Test
    void permanentErrorBecomesKeyInvalidationFailedWithElasticsReasonRedacted() {
        KeyCreated created = createKey();
        String echoedKey = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
        elastic.failNextInvalidate(ElasticCallException.fromResponse(403, """
                {"error":{"type":"security_exception",
                  "reason":"action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized for user \
                [crosslink] with password %s and Authorization: ApiKey %s"},"status":403}"""
                .formatted(PASSWORD, echoedKey), PASSWORD));
        KeystoreEntryRemoved removed = TestEvents.keystoreEntryRemoved(connectionId);

        undoRequested(removed);

        StepFailure failure = assertInstanceOf(KeyInvalidationFailed.class, last()).failure();
        assertEquals("security_exception", failure.type());
        assertTrue(failure.reason().startsWith("action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized"),
                failure.reason());
        assertEquals(403, failure.httpStatus());
        assertFalse(failure.retryable());
        String json = EventCodec.encode(last());
        assertFalse(json.contains(PASSWORD), json);
        assertFalse(json.contains(echoedKey), json);
        assertTrue(elastic.keys.get(created.keyId()).active, "still there: the failure names what is left");
        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertEquals(Certainty.CONFIRMED, failed.certainty(), "R was read after the refusal and shows the key");
        assertEquals(List.of(created.keyId()), failed.activeKeyIds());
        assertEquals(KeyState.ACTIVE, registry.keys.get(connectionId).state());
        assertTrue(registry.inbox.contains(removed.eventId()));
    }

    @Test
    void aFailureWhoseReadFailsTooLeavesAPossibleLeftover() {
        createKey();
        // The undo's lookup is refused, and so is the read after it: nobody can tell whether the key is there.
        elastic.failNextLookup(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"denied\"},\"status\":403}"));
        elastic.failNextLookup(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"denied\"},\"status\":403}"));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertEquals(Certainty.POSSIBLE, failed.certainty());
        assertEquals(List.of(), failed.activeKeyIds());
    }

    @Test
    void anInvalidationWhoseAnswerWasLostIsReadAsDone() {
        KeyCreated created = createKey();
        elastic.loseNextInvalidateAnswer(ElasticCallException.fromResponse(400,
                "{\"error\":{\"type\":\"illegal_state_exception\",\"reason\":\"lost\"},\"status\":400}"));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, last());
        assertTrue(invalidated.removed());
        assertEquals(List.of(created.keyId()), invalidated.keyIds());
        assertFalse(elastic.keys.get(created.keyId()).active);
        assertEquals(KeyState.INVALIDATED, registry.keys.get(connectionId).state());
    }

    @Test
    void aFailedInvalidationWhoseKeyIsStillActiveIsAConfirmedLeftoverNamingIt() {
        KeyCreated created = createKey();
        elastic.calls.clear();
        elastic.failNextInvalidate(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"denied\"},\"status\":403}"));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        assertEquals(List.of("GET /_security/api_key " + keyName, "DELETE /_security/api_key [" + created.keyId() + "]",
                "GET /_security/api_key " + keyName), elastic.calls, "one fresh read after the failure");
        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertEquals("security_exception", failed.failure().type());
        assertEquals(Certainty.CONFIRMED, failed.certainty());
        assertEquals(List.of(created.keyId()), failed.activeKeyIds());
        assertEquals(KeyState.ACTIVE, registry.keys.get(connectionId).state());
    }

    @Test
    void aFailedInvalidationWhoseReadFailsTooIsAPossibleLeftover() {
        createKey();
        // The lookup answers, the DELETE is refused, and the read after it (the second lookup) fails as well.
        elastic.failNextInvalidate(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"denied\"},\"status\":403}"));
        elastic.failLookup(2, ElasticCallException.fromResponse(503,
                "{\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"[.security] not available\"},\"status\":503}"));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertEquals("security_exception", failed.failure().type(), "the invalidation's failure, not the read's");
        assertEquals(Certainty.POSSIBLE, failed.certainty(), "the lookup before the DELETE confirms nothing");
        assertEquals(List.of(), failed.activeKeyIds());
        assertEquals(KeyState.ACTIVE, registry.keys.get(connectionId).state());
    }

    @Test
    void aLostInvalidationOfAKeyNotOnRecordNamesTheKeyItFound() {
        ConnectionRequested requested = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());
        FakeElasticClient.StoredKey leftOver = elastic.existing(REMOTE, KeySpec.of(requested));
        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));
        elastic.loseNextInvalidateAnswer(ElasticCallException.fromResponse(400,
                "{\"error\":{\"type\":\"illegal_state_exception\",\"reason\":\"lost\"},\"status\":400}"));

        requested(requested);

        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertEquals(List.of(leftOver.id), invalidated.keyIds());
        assertTrue(invalidated.removed());
        assertFalse(leftOver.active);
    }

    @Test
    void aRefusedLookupWithNothingActiveOrRecordedRemovedNothing() {
        elastic.failNextCreate(ElasticCallException.fromResponse(400,
                "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"bad access\"},\"status\":400}"));
        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        elastic.failNextLookup(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"denied\"},\"status\":403}"));

        undoRequested(TestEvents.keystoreEntryRemovalFailed(connectionId));

        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, last());
        assertEquals(List.of(), invalidated.keyIds());
        assertFalse(invalidated.removed(), "the read shows none active and none was named: nothing was removed");
    }

    @Test
    void transientErrorParksTheUndoAndTheNextRunInvalidates() {
        KeyCreated created = createKey();
        elastic.failNextLookup(ElasticCallException.fromResponse(503,
                "{\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"[.security] not available\"},\"status\":503}"));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        assertEquals(1, work.parks.size());
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, last());
        assertEquals(List.of(created.keyId()), invalidated.keyIds());
        assertTrue(elastic.active(keyName).isEmpty());
    }

    @Test
    void transientErrorOutlastingTheRetriesIsARetryableFailure() {
        KeyCreated created = createKey();
        for (int run = 0; run <= KeyCreationStepTest.RETRIES.retries(); run++) {
            elastic.failNextLookup(ElasticCallException.fromResponse(503,
                    "{\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"[.security] not available\"},\"status\":503}"));
        }

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        List<Duration> delays = work.parks.stream().map(WorkResult.Park::delay).toList();
        assertEquals(KeyCreationStepTest.RETRIES.retries(), delays.size());
        for (int i = 1; i < delays.size(); i++) {
            assertTrue(delays.get(i).compareTo(delays.get(i - 1)) > 0, "growing: " + delays);
        }
        StepFailure failure = assertInstanceOf(KeyInvalidationFailed.class, last()).failure();
        assertEquals("unavailable_shards_exception", failure.type());
        assertTrue(failure.retryable());
        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertEquals(Certainty.CONFIRMED, failed.certainty(), "the read after the last run answered: the key is there");
        assertEquals(List.of(created.keyId()), failed.activeKeyIds());
        assertEquals(KeyState.ACTIVE, registry.keys.get(connectionId).state(), "still active: nothing was invalidated");
    }

    @Test
    void compensationOfACertificateModelConnectionDoesNothing() {
        ConnectionRequested requested = TestEvents.certificateRequested(connectionId, REMOTE);
        requested(requested);

        undo.onCompensationStarted(TestEvents.compensationStarted(connectionId));
        requested(TestEvents.again(requested));
        requested(TestEvents.republished(requested));
        // Not part of this model's chain (it ends with TrustRemoved); should one arrive, it ends nothing either.
        KeystoreEntryRemoved stray = TestEvents.keystoreEntryRemoved(connectionId);
        undoRequested(stray);

        assertEquals(List.of(), elastic.calls);
        assertTrue(elastic.keys.isEmpty());
        assertEquals(List.of(), registry.outbox, "no KeyInvalidated: it would end connect-service's chain early");
        assertTrue(registry.inbox.contains(stray.eventId()));
        assertTrue(registry.connections.get(connectionId).compensating());
    }

    @Test
    void keystoreUndoBeforeACertificateModelRequestCreatesAndAnnouncesNothing() {
        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));
        ConnectionRequested requested = TestEvents.certificateRequested(connectionId, REMOTE);

        requested(requested);

        assertEquals(List.of(), elastic.calls);
        assertEquals(List.of(), registry.outbox);
        assertTrue(registry.inbox.contains(requested.eventId()));
    }

    private static UndoChain newChain() {
        return TestEvents.chain(Instant.now().plus(Duration.ofMinutes(15)));
    }

    private KeyCreated createKey() {
        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        return assertInstanceOf(KeyCreated.class, single());
    }

    /** The connect-events consumer applies the request, then the work it queued runs. */
    private void requested(ConnectionRequested event) {
        create.on(event);
        work.drain();
    }

    /** The trust-events consumer applies the keystore undo's outcome, then the work it queued runs. */
    private void undoRequested(ConnectionEvent event) {
        undo.onUndoRequested(event);
        work.drain();
    }

    private ConnectionEvent last() {
        assertFalse(registry.outbox.isEmpty(), "no event");
        return registry.outbox.get(registry.outbox.size() - 1);
    }

    private ConnectionEvent single() {
        assertEquals(1, registry.outbox.size(), () -> "events: " + registry.outbox);
        return registry.outbox.get(0);
    }
}

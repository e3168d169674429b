package io.crosslink.key.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.Access;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.StrongIdentity;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.key.domain.IssuedKey;
import io.crosslink.key.domain.KeySpec;
import io.crosslink.key.domain.KeyState;
import io.crosslink.key.support.TestEvents;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.runtime.work.WorkResult;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key step without broker, database or Elasticsearch, one test per path: the consumer's part
 * ({@link KeyCreationStep}: record, queue) and the work item's ({@link CreateKeyHandler}: the Elastic calls, the
 * outcome), the work run by {@link WorkRunner} as the dispatcher would.
 */
class KeyCreationStepTest {
    private static final String REMOTE = "0b5e55ed12345678abcdef0123456789";
    private static final String PASSWORD = "s3cr3t-Passw0rd-of-the-remote-user";
    /** As configured by default: from 500 ms, doubling, at most 8 s; Retry-After honoured up to 60 s. */
    static final KeyWork.Retries RETRIES = new KeyWork.Retries(3, Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(60));
    /** The undo's budget as configured by default, on the system clock (chains without a deadline ignore it). */
    static final UndoBudget BUDGET = new UndoBudget(UndoBudget.DEFAULT_REPORT_MARGIN, Clock.systemUTC());

    private final FakeElasticClient elastic = new FakeElasticClient();
    private final InMemoryKeyRegistry registry = new InMemoryKeyRegistry();
    private final String dataKey = SecretBox.newDataKey();
    private final SecretBox box = SecretBox.fromBase64(dataKey);
    private final KeyProvisioner provisioner = new KeyProvisioner(elastic);
    private final KeyCreationStep step = new KeyCreationStep(registry, box);
    private final CreateKeyHandler createKey = new CreateKeyHandler(registry, provisioner, box, RETRIES,
            Clock.systemUTC());
    private final WorkRunner work = new WorkRunner(registry, createKey,
            new InvalidateKeysHandler(registry, new KeyInvalidator(elastic), RETRIES, BUDGET));

    @Test
    void strongIdentityPutsLsDnPatternOnTheKeyAndOnlyThen() {
        String connectionId = TestEvents.newConnectionId();
        ConnectionRequested plain = TestEvents.requested(connectionId, REMOTE, TestEvents.searchWithSecurity());
        String pattern = StrongIdentity.patternFor(plain.local().clusterId());
        ConnectionRequested event = new ConnectionRequested(plain.eventId(), connectionId, plain.occurredAt(),
                plain.request(), plain.local(), plain.remote(),
                new StrongIdentity(pattern, "node.crt", "node.key", "internal_tls_ca.crt"));

        apply(event);

        FakeElasticClient.StoredKey stored = elastic.active("crosslink-" + connectionId).get(0);
        assertEquals(pattern, TestEvents.json(stored.request.toJson()).path("certificate_identity").asText());
        assertFalse(TestEvents.json(KeySpec.of(plain).toJson()).has("certificate_identity"),
                "without strong identity the field is left out: versions before 9.3 refuse it");
    }

    @Test
    void createsKeyWithExactlyTheRequestedAccessAndMetadata() {
        String connectionId = TestEvents.newConnectionId();
        ConnectionRequested event = TestEvents.requested(connectionId, REMOTE, TestEvents.searchWithSecurity());

        apply(event);

        List<FakeElasticClient.StoredKey> onRemote = elastic.active("crosslink-" + connectionId);
        assertEquals(1, onRemote.size());
        FakeElasticClient.StoredKey stored = onRemote.get(0);
        assertEquals(REMOTE, stored.deploymentId);
        assertEquals(TestEvents.json("""
                {"name":"crosslink-%s",
                 "access":{"search":[{"names":["logs-*","metrics-*"],"query":{"term":{"team":"blue"}},
                                      "field_security":{"grant":["*"],"except":["secret"]}}]},
                 "metadata":{"managed_by":"crosslink","connection_id":"%s","alias":"%s",
                             "local_deployment_id":"%s"}}""".formatted(connectionId, connectionId,
                event.request().alias(), TestEvents.LOCAL_DEPLOYMENT)), TestEvents.json(stored.request.toJson()));

        KeyCreated created = assertInstanceOf(KeyCreated.class, single(registry.outbox));
        assertEquals(connectionId, created.connectionId());
        assertEquals(stored.id, created.keyId());
        assertEquals("crosslink-" + connectionId, created.keyName());
        assertEquals(stored.encoded, box.open(created.encodedKey(), connectionId));
        assertThrows(SecretBox.SecretException.class, () -> box.open(created.encodedKey(), "another-connection"));
        assertFalse(EventCodec.encode(created).contains(stored.encoded), "the event carries the key only sealed");

        IssuedKey row = registry.keys.get(connectionId);
        assertEquals(new IssuedKey(connectionId, stored.id, "crosslink-" + connectionId, REMOTE,
                created.encodedKey(), row.createdAt(), KeyState.ACTIVE), row);
        assertTrue(registry.inbox.contains(event.eventId()));
        InMemoryKeyRegistry.QueuedWork item = single(registry.work);
        assertEquals(KeyWork.CREATE_KEY, item.kind);
        assertEquals("ess/" + REMOTE, item.deployment, "it runs under R's permit");
        assertTrue(item.finished);
        assertEquals(1, item.attempts);
    }

    @Test
    void replicationOnlySendsNoSearchAndBothSendBoth() {
        String replicationOnly = TestEvents.newConnectionId();
        apply(TestEvents.requested(replicationOnly, REMOTE,
                new Access(null, List.of(new Access.Replication(List.of("archive-*"))))));
        assertEquals(TestEvents.json("{\"replication\":[{\"names\":[\"archive-*\"]}]}"),
                TestEvents.json(elastic.active("crosslink-" + replicationOnly).get(0).request.toJson()).path("access"));

        String both = TestEvents.newConnectionId();
        apply(TestEvents.requested(both, REMOTE, TestEvents.searchAndReplication()));
        assertEquals(TestEvents.json("{\"search\":[{\"names\":[\"demo-*\"]}],\"replication\":[{\"names\":[\"archive-*\"]}]}"),
                TestEvents.json(elastic.active("crosslink-" + both).get(0).request.toJson()).path("access"));
    }

    @Test
    void redeliveredEventIsANoOp() {
        ConnectionRequested event = TestEvents.requested(TestEvents.newConnectionId(), REMOTE,
                TestEvents.searchAndReplication());
        apply(event);
        List<String> callsAfterFirst = List.copyOf(elastic.calls);

        apply(TestEvents.again(event));

        assertEquals(callsAfterFirst, elastic.calls, "no Elastic call for a redelivery");
        assertEquals(1, elastic.keys.size());
        assertEquals(1, registry.outbox.size(), "no second event");
        assertEquals(1, registry.work.size(), "no second work item");
    }

    @Test
    void aRunOfAnItemThatIsOverDoesNothing() {
        // The dispatcher may run an item again when it could not record the end of a run (a crash after the
        // handler's commit): that commit marked the item done, so the run finds nothing to do.
        ConnectionRequested event = TestEvents.requested(TestEvents.newConnectionId(), REMOTE,
                TestEvents.searchAndReplication());
        apply(event);
        List<String> callsAfterFirst = List.copyOf(elastic.calls);
        InMemoryKeyRegistry.QueuedWork item = single(registry.work);

        assertInstanceOf(WorkResult.Done.class, createKey.run(item.toWork()));

        assertEquals(callsAfterFirst, elastic.calls);
        assertEquals(1, elastic.keys.size());
        assertEquals(1, registry.outbox.size());
    }

    @Test
    void keyOnRecordIsAnnouncedAgainWithoutCallingElastic() {
        String connectionId = TestEvents.newConnectionId();
        apply(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        KeyCreated first = (KeyCreated) single(registry.outbox);
        elastic.calls.clear();

        // The same connection requested again (a new event, e.g. connect-service re-published it).
        ConnectionRequested again = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());
        apply(again);

        assertEquals(List.of(), elastic.calls);
        assertEquals(1, registry.work.size(), "announced by the consumer, no work queued");
        assertEquals(2, registry.outbox.size());
        KeyCreated second = assertInstanceOf(KeyCreated.class, registry.outbox.get(1));
        assertNotEquals(first.eventId(), second.eventId());
        assertEquals(first.keyId(), second.keyId());
        assertEquals(first.keyName(), second.keyName());
        assertEquals(first.encodedKey(), second.encodedKey());
        assertTrue(registry.inbox.contains(again.eventId()));
    }

    @Test
    void aKeyAnnouncedAgainAfterADataKeyRotationIsSealedWithTheNewKey() {
        String connectionId = TestEvents.newConnectionId();
        apply(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        KeyCreated first = (KeyCreated) single(registry.outbox);
        String encoded = box.open(first.encodedKey(), connectionId);

        // The ring rotated: a new key first, the old one still opens. Then the old one is dropped elsewhere.
        String newKey = SecretBox.newDataKey();
        SecretBox rotated = SecretBox.keyring(List.of(newKey, dataKey));
        new KeyCreationStep(registry, rotated).on(TestEvents.requested(connectionId, REMOTE,
                TestEvents.searchAndReplication()));

        KeyCreated second = assertInstanceOf(KeyCreated.class, registry.outbox.get(1));
        assertEquals(rotated.keyId(), second.encodedKey().keyId());
        assertNotEquals(first.encodedKey().keyId(), second.encodedKey().keyId());
        assertEquals(encoded, SecretBox.fromBase64(newKey).open(second.encodedKey(), connectionId),
                "opened with the new key alone, as a trust-service that dropped the old one does");
    }

    @Test
    void keyOnRemoteWhoseValueWasLostIsInvalidatedAndReplaced() {
        String connectionId = TestEvents.newConnectionId();
        ConnectionRequested event = TestEvents.requested(connectionId, REMOTE, TestEvents.searchWithSecurity());
        // A crash after the create and before the commit left this key on R, and no row here.
        FakeElasticClient.StoredKey lost = elastic.existing(REMOTE, KeySpec.of(event));
        // Same name, but not Crosslink's: left alone.
        FakeElasticClient.StoredKey foreign = elastic.existing(REMOTE, new io.crosslink.key.client.CrossClusterApiKeyRequest(
                "crosslink-" + connectionId, TestEvents.searchAndReplication(), Map.of("managed_by", "someone-else")));

        apply(event);

        assertFalse(lost.active, "the key whose value was lost is invalidated");
        assertTrue(foreign.active, "a key Crosslink did not make is not touched");
        KeyCreated created = assertInstanceOf(KeyCreated.class, single(registry.outbox));
        assertNotEquals(lost.id, created.keyId());
        FakeElasticClient.StoredKey replacement = elastic.keys.get(created.keyId());
        assertTrue(replacement.active);
        assertEquals(replacement.encoded, box.open(created.encodedKey(), connectionId));
        assertEquals(List.of("GET /_security/api_key crosslink-" + connectionId,
                "DELETE /_security/api_key [" + lost.id + "]",
                "POST /_security/cross_cluster/api_key crosslink-" + connectionId), elastic.calls);
    }

    @Test
    void permanentErrorBecomesKeyCreationFailedWithElasticsReasonAndNoSecret() {
        String connectionId = TestEvents.newConnectionId();
        String echoedKey = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
        elastic.failNextCreate(ElasticCallException.fromResponse(400, """
                {"error":{"root_cause":[{"type":"illegal_argument_exception",
                  "reason":"search does not support document or field level security if replication is assigned"}],
                  "type":"illegal_argument_exception",
                  "reason":"search does not support document or field level security if replication is assigned; \
                request by user with password %s and Authorization: ApiKey %s"},
                 "status":400}""".formatted(PASSWORD, echoedKey), PASSWORD));
        ConnectionRequested event = TestEvents.requested(connectionId, REMOTE, TestEvents.searchWithSecurity());

        apply(event);

        KeyCreationFailed failed = assertInstanceOf(KeyCreationFailed.class, single(registry.outbox));
        StepFailure failure = failed.failure();
        assertEquals("illegal_argument_exception", failure.type());
        assertTrue(failure.reason().startsWith(
                "search does not support document or field level security if replication is assigned"), failure.reason());
        assertEquals(400, failure.httpStatus());
        assertFalse(failure.retryable());
        String json = EventCodec.encode(failed);
        assertFalse(json.contains(PASSWORD), json);
        assertFalse(json.contains(echoedKey), json);
        assertTrue(registry.keys.isEmpty(), "no key recorded");
        assertTrue(elastic.active("crosslink-" + connectionId).isEmpty());
        assertTrue(registry.inbox.contains(event.eventId()), "the event is applied: a redelivery changes nothing");
        assertEquals(List.of(), work.parks, "a permanent error is not retried");
        assertTrue(single(registry.work).finished);
    }

    @Test
    void transientErrorParksWithAGrowingDelayAndEndsInARetryableFailureAfterTheRetries() {
        String connectionId = TestEvents.newConnectionId();
        for (int run = 0; run <= RETRIES.retries(); run++) {
            elastic.failNextCreate(ElasticCallException.fromException(new ConnectException("Connection refused")));
        }
        step.on(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        InMemoryKeyRegistry.QueuedWork item = single(registry.work);

        // Runs 1..3 park: 500 ms, 1 s, 2 s (each plus up to 20 % jitter); nothing is announced meanwhile.
        long previous = 0;
        for (long expected : new long[] {500, 1000, 2000}) {
            WorkResult.Park park = assertInstanceOf(WorkResult.Park.class, work.run(item));
            long delay = park.delay().toMillis();
            assertTrue(delay >= expected && delay <= expected * 6 / 5, expected + " ms + up to 20 %: " + delay);
            assertTrue(delay > previous, "the delay grows: " + work.parks);
            previous = delay;
            assertTrue(park.reason().startsWith("connection_refused"), park.reason());
            assertEquals(List.of(), registry.outbox);
            assertFalse(item.finished);
        }
        // Run 4, the last retry, fails too: the failure is announced and the item is done.
        assertInstanceOf(WorkResult.Done.class, work.run(item));

        StepFailure failure = assertInstanceOf(KeyCreationFailed.class, single(registry.outbox)).failure();
        assertEquals("connection_refused", failure.type());
        assertTrue(failure.retryable());
        assertTrue(registry.keys.isEmpty());
        assertTrue(item.finished);
        assertEquals(4, elastic.calls.stream().filter(call -> call.startsWith("POST")).count(), elastic.calls.toString());
    }

    @Test
    void aLoneTransientErrorIsRepeatedAtOnceButATimeoutOrRetryAfterParks() {
        KeyWork.Retries quick = new KeyWork.Retries(3, Duration.ofMillis(500), Duration.ofSeconds(8),
                Duration.ofSeconds(60), 2);
        WorkRunner quickWork = new WorkRunner(registry, new CreateKeyHandler(registry, provisioner, box, quick,
                Clock.systemUTC()), new InvalidateKeysHandler(registry, new KeyInvalidator(elastic), quick,
                BUDGET));
        String connectionId = TestEvents.newConnectionId();
        elastic.failNextCreate(ElasticCallException.fromResponse(503, "{\"error\":\"unavailable\",\"status\":503}"));
        elastic.failNextCreate(ElasticCallException.fromException(new ConnectException("Connection refused")));
        elastic.failNextCreate(ElasticCallException.fromException(new TimeoutException("request timed out")));
        step.on(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));

        quickWork.drain();

        assertEquals(1, quickWork.parks.size(), "the 503 and the refusal repeated at once, the timeout parked: "
                + quickWork.parks);
        assertTrue(quickWork.parks.get(0).reason().startsWith("timeout"), quickWork.parks.toString());
        assertInstanceOf(KeyCreated.class, single(registry.outbox));
        assertEquals(4, elastic.calls.stream().filter(call -> call.startsWith("POST")).count(), elastic.calls.toString());
    }

    @Test
    void retryAfterIsHonouredUpToItsCap() {
        String connectionId = TestEvents.newConnectionId();
        elastic.failNextCreate(ElasticCallException.of(new StepFailure("http_429", "too many requests", 429, true),
                Duration.ofSeconds(5)));
        elastic.failNextCreate(ElasticCallException.of(new StepFailure("http_503", "maintenance", 503, true),
                Duration.ofHours(1)));
        step.on(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));

        work.drain();

        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(60)),
                work.parks.stream().map(WorkResult.Park::delay).toList());
        assertInstanceOf(KeyCreated.class, single(registry.outbox));
    }

    @Test
    void transientErrorsThenSuccessLeaveExactlyOneActiveKey() {
        // Run by run: a 503, then a create whose answer is lost (the key exists on R, we never saw its value), then
        // success, which first invalidates the key of the lost answer.
        String connectionId = TestEvents.newConnectionId();
        elastic.failNextCreate(ElasticCallException.fromResponse(503,
                "{\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"[.security] not available\"},\"status\":503}"));
        elastic.loseNextCreateAnswer(ElasticCallException.fromException(new TimeoutException("request timed out")));

        apply(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));

        assertEquals(2, work.parks.size(), "parked after the 503 and after the lost answer");
        KeyCreated created = assertInstanceOf(KeyCreated.class, single(registry.outbox));
        List<FakeElasticClient.StoredKey> active = elastic.active("crosslink-" + connectionId);
        assertEquals(1, active.size(), "the key of the lost answer was invalidated");
        assertEquals(created.keyId(), active.get(0).id);
        assertEquals(2, elastic.keys.size());
        assertEquals(created.keyId(), registry.keys.get(connectionId).keyId());
    }

    @Test
    void otherSecurityModelsCreateNoKeyButAreRemembered() {
        String connectionId = TestEvents.newConnectionId();
        ConnectionRequested event = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication(),
                SecurityModel.TLS_CERTIFICATE);

        apply(event);

        assertEquals(List.of(), elastic.calls);
        assertEquals(List.of(), registry.outbox);
        assertTrue(registry.inbox.contains(event.eventId()));
        // Remembered so that a later undo answers at once that there is no key (instead of waiting for a request).
        assertEquals(SecurityModel.TLS_CERTIFICATE, registry.connections.get(connectionId).securityModel());
        assertEquals(List.of(), registry.work, "no work");
    }

    @Test
    void certificateModelRequestCreatesNoKeyAndAnnouncesNothingEvenWhenRedelivered() {
        String connectionId = TestEvents.newConnectionId();
        ConnectionRequested event = TestEvents.certificateRequested(connectionId, REMOTE);

        apply(event);
        apply(TestEvents.again(event));
        apply(TestEvents.republished(event));

        assertEquals(List.of(), elastic.calls, "R is not even asked");
        assertTrue(elastic.keys.isEmpty());
        assertEquals(List.of(), registry.outbox);
        assertTrue(registry.keys.isEmpty());
        assertTrue(registry.inbox.contains(event.eventId()));
        assertEquals(SecurityModel.TLS_CERTIFICATE, registry.connections.get(connectionId).securityModel());
        assertEquals(REMOTE, registry.connections.get(connectionId).remoteDeploymentId());
        assertEquals(List.of(), registry.work);
    }

    @Test
    void invalidatedKeyIsNotAnnouncedAgain() {
        String connectionId = TestEvents.newConnectionId();
        IssuedKey invalidated = new IssuedKey(connectionId, "key-id", "crosslink-" + connectionId, REMOTE,
                box.seal("aWQ6a2V5", connectionId), Instant.now(), KeyState.INVALIDATED);
        registry.keys.put(connectionId, invalidated);
        ConnectionRequested event = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());

        apply(event);

        assertEquals(List.of(), elastic.calls);
        assertEquals(List.of(), registry.outbox, "neither the invalidated key nor a failure is announced");
        assertTrue(registry.inbox.contains(event.eventId()));
        assertEquals(KeyState.INVALIDATED, registry.keys.get(connectionId).state());
        assertEquals(List.of(), registry.work);
    }

    @Test
    void remoteDeploymentIsRememberedEvenWhenTheCreateFails() {
        String connectionId = TestEvents.newConnectionId();
        elastic.failNextCreate(ElasticCallException.fromResponse(400,
                "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"bad access\"},\"status\":400}"));

        apply(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));

        assertInstanceOf(KeyCreationFailed.class, single(registry.outbox));
        assertEquals(REMOTE, registry.connections.get(connectionId).remoteDeploymentId(), "the undo needs to know R");
    }

    /** The consumer applies the event, then the work it queued runs. */
    private void apply(ConnectionRequested event) {
        step.on(event);
        work.drain();
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), () -> "expected one: " + items);
        return items.get(0);
    }
}

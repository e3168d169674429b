package io.crosslink.trust.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.Access;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.TransientElasticCallException;
import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.domain.EntryStatus;
import io.crosslink.trust.domain.KeystoreEntry;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keystore step without broker, database or Quarkus: the consumer's part ({@code handle}) and the
 * {@code write-keystore} work item, run by {@link Fakes.Worker} as the dispatcher would. One test per path.
 */
class ApiKeyTrustServiceTest {
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String SETTING = "cluster.remote.eu-logs.credentials";
    static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    /** Shaped like Elasticsearch's encoded cross-cluster API key: base64 of "id:key". */
    static final String ENCODED_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    static final String REPLACED_KEY = "TmV3S2V5SWQwMDAwMDAwMDAwMDA6bmV3LXNlY3JldC12YWx1ZS0wMDAwMA==";

    final SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
    final Fakes.Entries entries = new Fakes.Entries();
    final Fakes.RecordingInbox inbox = new Fakes.RecordingInbox();
    final Fakes.RecordingOutbox outbox = new Fakes.RecordingOutbox();
    final Fakes.Keystore keystore = new Fakes.Keystore();
    final Fakes.Queue queue = new Fakes.Queue();
    final TrustFakes.MovingClock clock = new TrustFakes.MovingClock();
    final CloudApiRetry retry = new CloudApiRetry(4, Duration.ofMillis(100), Duration.ofMillis(400));
    ApiKeyTrustService service;
    Fakes.Worker worker;
    String connection;

    @BeforeEach
    void setUp() {
        service = new ApiKeyTrustService(new KeystoreLedger(entries, inbox, outbox, queue,
                new Fakes.SigningCa(entries, outbox).ledger), keystore, box, retry);
        worker = new Fakes.Worker(queue, clock, service);
        connection = UUID.randomUUID().toString();
    }

    @Test
    void theConsumerOnlyRecords_theEventAndAWorkItem_withoutCallingTheCloudApi() {
        ConnectionRequested requested = requested();
        KeyCreated key = key("key-1", ENCODED_KEY, T0);

        service.handle(requested);
        service.handle(key);

        assertTrue(keystore.calls.isEmpty(), "no Cloud API call on the consumer thread");
        assertTrue(outbox.published.isEmpty());
        assertEquals(java.util.Set.of(requested.eventId(), key.eventId()), inbox.recorded, "both acked as processed");
        Work work = single(queue.items);
        assertEquals(ApiKeyTrustService.KIND, work.kind());
        assertEquals(connection, work.connectionId());
        assertEquals(List.of("ece/" + LOCAL_ID), work.deployments(), "keystore work calls L only");
        assertEquals(key.eventId(), work.event().eventId(), "the event that made the write due");
        assertEquals(EntryStatus.UPDATING, entry().status);

        worker.runAll();

        assertEquals(1, keystore.puts.size());
        assertInstanceOf(KeystoreUpdated.class, single(outbox.published));
        assertTrue(worker.parks().isEmpty());
    }

    @Test
    void transientFailures_parkTheItemWithBackoff_thenTheWriteSucceeds() {
        keystore.refusePut(ElasticCallException.fromResponse(503,
                "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}"));
        keystore.refusePut(ElasticCallException.fromException(new java.util.concurrent.TimeoutException("timed out")));

        handle(requested());
        handle(key("key-1", ENCODED_KEY, T0));

        assertEquals(3, keystore.puts.size(), "two parks, then success");
        assertEquals(2, worker.parks().size());
        Duration first = worker.parkDelays().get(0);
        Duration second = worker.parkDelays().get(1);
        assertTrue(first.compareTo(Duration.ofMillis(100)) >= 0 && first.compareTo(Duration.ofMillis(120)) <= 0,
                "first backoff: " + first);
        assertTrue(second.compareTo(Duration.ofMillis(200)) >= 0 && second.compareTo(Duration.ofMillis(240)) <= 0,
                "doubled: " + second);
        assertTrue(worker.parks().get(0).reason().startsWith("root.service_unavailable"));
        assertInstanceOf(KeystoreUpdated.class, single(outbox.published));
        assertEquals(EntryStatus.UPDATED, entry().status);
    }

    @Test
    void throttled_parksAtLeastWhatRetryAfterAsks() {
        keystore.refusePut(ElasticCallException.of(io.crosslink.elastic.ElasticErrors.fromResponse(429,
                "{\"errors\":[{\"code\":\"root.too_many_requests\",\"message\":\"slow down\"}]}"),
                Duration.ofSeconds(7)));

        handle(requested());
        handle(key("key-1", ENCODED_KEY, T0));

        assertEquals(List.of(Duration.ofSeconds(7)), worker.parkDelays());
        assertInstanceOf(KeystoreUpdated.class, single(outbox.published));
    }

    @Test
    void requestThenKey_writesTheKeyOnceAndAnnouncesIt() {
        ConnectionRequested requested = requested();
        handle(requested);
        assertTrue(keystore.puts.isEmpty(), "no key yet, nothing to write");
        assertTrue(outbox.published.isEmpty());
        assertEquals(EntryStatus.WAITING, entry().status);

        KeyCreated key = key("key-1", ENCODED_KEY, T0);
        handle(key);

        assertEquals(List.of(new Fakes.Put(new DeploymentResource("ece", LOCAL_ID, "main-elasticsearch"), SETTING,
                ENCODED_KEY)), keystore.puts);
        KeystoreUpdated updated = assertInstanceOf(KeystoreUpdated.class, single(outbox.published));
        assertEquals(connection, updated.connectionId());
        assertEquals(SETTING, updated.settingName());
        assertEquals(EntryStatus.UPDATED, entry().status);
        assertEquals("key-1", entry().keystoreKeyId);
        assertEquals(java.util.Set.of(requested.eventId(), key.eventId()), inbox.recorded);
    }

    @Test
    void keyThenRequest_writesTheSameEntry() {
        KeyCreated key = key("key-1", ENCODED_KEY, T0);
        handle(key);
        assertTrue(keystore.puts.isEmpty(), "no request yet, nowhere to write");
        assertTrue(inbox.recorded.contains(key.eventId()), "the key half is recorded with its event");

        handle(requested());

        assertEquals(1, keystore.puts.size());
        assertEquals(SETTING, keystore.puts.get(0).settingName());
        assertEquals(ENCODED_KEY, keystore.puts.get(0).value());
        assertEquals(SETTING, assertInstanceOf(KeystoreUpdated.class, single(outbox.published)).settingName());
    }

    @Test
    void redeliveredEvents_changeNothing() {
        KeyCreated key = key("key-1", ENCODED_KEY, T0);
        handle(key);
        handle(key);
        assertEquals(EntryStatus.WAITING, entry().status);

        ConnectionRequested requested = requested();
        handle(requested);
        assertEquals(1, keystore.puts.size());
        assertEquals(1, outbox.published.size());

        handle(requested);
        handle(key);

        assertEquals(1, keystore.puts.size(), "no second write");
        assertEquals(1, outbox.published.size(), "no second KeystoreUpdated");
        assertEquals(2, inbox.recorded.size());
    }

    @Test
    void sameKeyAnnouncedAgain_isNotWrittenAgain() {
        handle(requested());
        handle(key("key-1", ENCODED_KEY, T0));
        // A new event (another event id) for the key that is already in the keystore.
        handle(key("key-1", ENCODED_KEY, T0.plusSeconds(1)));

        assertEquals(1, keystore.puts.size());
        assertEquals(1, outbox.published.size());
    }

    @Test
    void replacedKey_isWrittenAgain() {
        handle(requested());
        KeyCreated first = key("key-1", ENCODED_KEY, T0);
        handle(first);

        handle(key("key-2", REPLACED_KEY, T0.plusSeconds(60)));

        assertEquals(2, keystore.puts.size());
        assertEquals(REPLACED_KEY, keystore.puts.get(1).value());
        assertEquals(SETTING, keystore.puts.get(1).settingName());
        assertEquals(2, outbox.published.size());
        assertInstanceOf(KeystoreUpdated.class, outbox.published.get(1));
        assertEquals("key-2", entry().keystoreKeyId);

        // The first key's event, redelivered, must not put the old key back.
        handle(first);
        assertEquals(2, keystore.puts.size());
    }

    @Test
    void olderKeyArrivingLate_isIgnored() {
        handle(requested());
        handle(key("key-2", REPLACED_KEY, T0.plusSeconds(60)));
        // Another event for a key created before the one in the keystore: not a replacement.
        handle(key("key-1", ENCODED_KEY, T0));

        assertEquals(1, keystore.puts.size());
        assertEquals("key-2", entry().keyId);
        assertEquals(1, outbox.published.size());
    }

    @Test
    void permanentRejectionEchoingTheSecret_failsWithoutTheSecret() {
        // What the real client raises for a Cloud API 400 whose message quotes the request body.
        String body = "{\"errors\":[{\"code\":\"root.invalid_json_request\",\"message\":\"Invalid request body "
                + "{\\\"secrets\\\":{\\\"" + SETTING + "\\\":{\\\"value\\\":\\\"" + ENCODED_KEY
                + "\\\",\\\"as_file\\\":false}}} (raw: " + ENCODED_KEY + ")\"}]}";
        keystore.refusePut(ElasticCallException.fromResponse(400, body, ENCODED_KEY, "cloud-api-key"));

        handle(requested());
        handle(key("key-1", ENCODED_KEY, T0));

        assertEquals(1, keystore.puts.size(), "a permanent failure is not retried");
        KeystoreUpdateFailed failed = assertInstanceOf(KeystoreUpdateFailed.class, single(outbox.published));
        assertEquals("root.invalid_json_request", failed.failure().type());
        assertEquals(400, failed.failure().httpStatus());
        assertFalse(failed.failure().retryable());
        assertTrue(failed.failure().reason().startsWith("Invalid request body"), failed.failure().reason());
        assertFalse(EventCodec.encode(failed).contains(ENCODED_KEY), "the event must not carry the key");
        assertFalse(EventCodec.encode(failed).contains("dWkybHAyYXhUTm1zeWFrdzl0dk5udw"), "not even part of it");
        assertEquals(EntryStatus.FAILED, entry().status);
        assertFalse(entry().failureReason.contains(ENCODED_KEY));
        assertNull(entry().keystoreKeyId);
    }

    @Test
    void transientFailuresBeyondTheAttempts_giveUpWithKeystoreUpdateFailed() {
        for (int i = 0; i < 4; i++) {
            keystore.refusePut(ElasticCallException.fromResponse(503,
                    "{\"errors\":[{\"code\":\"root.service_unavailable\",\"message\":\"try later\"}]}"));
        }

        handle(key("key-1", ENCODED_KEY, T0));
        handle(requested());

        assertEquals(4, keystore.puts.size(), "the configured attempts");
        assertEquals(3, worker.parks().size(), "parked between them, never waiting in process");
        assertInstanceOf(WorkResult.Done.class, worker.runs.get(worker.runs.size() - 1).result());
        KeystoreUpdateFailed failed = assertInstanceOf(KeystoreUpdateFailed.class, single(outbox.published));
        assertEquals("root.service_unavailable", failed.failure().type());
        assertEquals(503, failed.failure().httpStatus());
        assertTrue(failed.failure().retryable());
        assertEquals(EntryStatus.FAILED, entry().status);
        assertTrue(entry().mayHaveWritten, "a 503 may have applied: the undo removes it");
    }

    @Test
    void attemptsTimingOut_failAsRetryableTimeout() {
        for (int i = 0; i < 4; i++) {
            keystore.refusePut(ElasticCallException.fromException(new java.util.concurrent.TimeoutException("timed out")));
        }

        handle(requested());
        handle(key("key-1", ENCODED_KEY, T0));

        KeystoreUpdateFailed failed = assertInstanceOf(KeystoreUpdateFailed.class, single(outbox.published));
        assertEquals("timeout", failed.failure().type());
        assertTrue(failed.failure().retryable());
    }

    @Test
    void aRunAgainAfterItsCommit_writesNothingTwice() {
        handle(requested());
        handle(key("key-1", ENCODED_KEY, T0));
        Work done = queue.all.get(0);

        // The service stopped after the commit, before the item was marked done: the item runs again.
        assertInstanceOf(WorkResult.Done.class, service.run(done));

        assertEquals(1, keystore.puts.size());
        assertEquals(1, outbox.published.size());
    }

    @Test
    void failedKeyIsNotTriedAgainOnRedelivery_butAReplacementIs() {
        keystore.refusePut(ElasticCallException.fromResponse(404,
                "{\"errors\":[{\"code\":\"deployments.deployment_not_found\",\"message\":\"not found\"}]}"));
        ConnectionRequested requested = requested();
        KeyCreated key = key("key-1", ENCODED_KEY, T0);
        handle(requested);
        handle(key);
        handle(key);
        handle(requested);
        assertEquals(1, keystore.puts.size());
        assertEquals(1, outbox.published.size());

        handle(key("key-2", REPLACED_KEY, T0.plusSeconds(60)));

        assertEquals(2, keystore.puts.size());
        assertInstanceOf(KeystoreUpdated.class, outbox.published.get(1));
        assertEquals(EntryStatus.UPDATED, entry().status);
        assertNull(entry().failureReason);
    }

    @Test
    void keySealedForAnotherConnection_failsWithoutCallingTheCloudApi() {
        handle(requested());
        handle(new KeyCreated(UUID.randomUUID().toString(), connection, T0, "key-1", "crosslink-x",
                box.seal(ENCODED_KEY, "another-connection")));

        assertTrue(keystore.puts.isEmpty());
        KeystoreUpdateFailed failed = assertInstanceOf(KeystoreUpdateFailed.class, single(outbox.published));
        assertEquals("sealed_key_unreadable", failed.failure().type());
        assertFalse(failed.failure().retryable());
    }

    @Test
    void theEntryNeverHoldsThePlaintextKey() throws IllegalAccessException {
        handle(requested());
        handle(key("key-1", ENCODED_KEY, T0));

        KeystoreEntry entry = entry();
        for (Field field : KeystoreEntry.class.getDeclaredFields()) {
            Object value = field.get(entry);
            assertFalse(value != null && value.toString().contains(ENCODED_KEY), field.getName());
        }
        assertEquals(ENCODED_KEY, box.open(entry.sealedKey(), connection), "the sealed key is kept as received");
    }

    /** The consumer records the event; then the work items it queued run to their end. */
    private void handle(ConnectionEvent event) {
        service.handle(event);
        worker.runAll();
    }

    private KeystoreEntry entry() {
        return entries.rows.get(connection);
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), () -> "items: " + items);
        return items.get(0);
    }

    private ConnectionRequested requested() {
        ConnectionRequest request = new ConnectionRequest("eu-logs", SecurityModel.API_KEY,
                new DeploymentRef("ece", LOCAL_ID, null),
                new DeploymentRef("ess", "0b5e55ed12345678abcdef0123456789", null),
                new Access(List.of(new Access.Search(List.of("demo-*"), null, null, null)), null), true);
        return new ConnectionRequested(UUID.randomUUID().toString(), connection, T0, request,
                new DeploymentInfo("ece", LOCAL_ID, "main-elasticsearch", "e5f60718293a4b5cc0ffee00a1b2c3d4",
                        "127.0.10.1", "8.19.21"),
                new DeploymentInfo("ess", "0b5e55ed12345678abcdef0123456789", "main-elasticsearch",
                        "abcdef01234567890b5e55ed12345678", "127.0.10.2", "8.19.21"));
    }

    private KeyCreated key(String keyId, String encoded, Instant createdAt) {
        return new KeyCreated(UUID.randomUUID().toString(), connection, createdAt, keyId, "crosslink-" + connection,
                box.seal(encoded, connection));
    }
}

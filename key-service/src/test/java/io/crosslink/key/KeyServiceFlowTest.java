package io.crosslink.key;

import static io.crosslink.key.support.ElasticsearchTestResource.FLAKY;
import static io.crosslink.key.support.ElasticsearchTestResource.REMOTE;
import static io.crosslink.key.support.ElasticsearchTestResource.UNREACHABLE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.Access;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Topics;
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.messaging.OutboxMessage;
import io.crosslink.runtime.messaging.ProcessedEvent;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.key.config.KeyServiceConfig;
import io.crosslink.key.domain.KeySpec;
import io.crosslink.key.support.ElasticsearchTestResource;
import io.crosslink.key.support.KafkaTopics;
import io.crosslink.key.support.TestEvents;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * key-service as it runs: real Kafka, PostgreSQL and Elasticsearch. ConnectionRequested records go on
 * {@code connect-events}; what comes out is read from {@code key-events}, the database and the node.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key"))
@QuarkusTestResource(value = ElasticsearchTestResource.class, parallel = true)
class KeyServiceFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaTopics kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    KeyServiceConfig config;

    @Inject
    SecretBox box;

    @Inject
    EntityManager entityManager;

    @AfterAll
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void createsTheKeyOnElasticsearchWithExactlyTheRequestedAccessAndAnnouncesItSealed() throws Exception {
        String connectionId = TestEvents.newConnectionId();
        ConnectionRequested event = TestEvents.requested(connectionId, REMOTE, TestEvents.searchWithSecurity());
        publish(event);

        ConsumerRecord<String, String> record = awaitRecords(connectionId, 1).get(0);
        assertEquals("crosslink.KeyCreated", KafkaTopics.header(record, "ce_type"));
        assertEquals("crosslink/key-service", KafkaTopics.header(record, "ce_source"));
        assertEquals(connectionId, KafkaTopics.header(record, "ce_subject"));
        KeyCreated created = assertInstanceOf(KeyCreated.class, decode(record));
        assertEquals("crosslink-" + connectionId, created.keyName());

        String encoded = box.open(created.encodedKey(), connectionId);
        String idAndKey = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        assertEquals(created.keyId(), idAndKey.substring(0, idAndKey.indexOf(':')), "encoded is base64 of id:api_key");
        assertFalse(record.value().contains(encoded), "the record carries the key only sealed");
        assertFalse(rowText(connectionId).contains(encoded), "the row holds the key only sealed");

        JsonNode key = single(activeKeys(REMOTE, "crosslink-" + connectionId));
        assertEquals(created.keyId(), key.path("id").asText());
        assertEquals("cross_cluster", key.path("type").asText());
        assertEquals(TestEvents.json("""
                {"managed_by":"crosslink","connection_id":"%s","alias":"%s","local_deployment_id":"%s"}"""
                .formatted(connectionId, event.request().alias(), TestEvents.LOCAL_DEPLOYMENT)), key.path("metadata"));
        // Elasticsearch echoes the access with its defaults filled in, and the DLS query as a string.
        JsonNode access = key.path("access").deepCopy();
        JsonNode search = access.path("search").path(0);
        ((ObjectNode) search).set("query", query(search.path("query")));
        assertEquals(TestEvents.json("""
                {"search":[{"names":["logs-*","metrics-*"],"query":{"term":{"team":"blue"}},
                            "field_security":{"grant":["*"],"except":["secret"]},"allow_restricted_indices":false}]}"""),
                access, key.toString());
        JsonNode role = key.path("role_descriptors").path("cross_cluster");
        List<String> cluster = new ArrayList<>();
        role.path("cluster").forEach(privilege -> cluster.add(privilege.asText()));
        // 8.15+ adds monitor_enrich to search keys; no replication privilege was asked for.
        assertTrue(cluster.contains("cross_cluster_search"), key.toString());
        assertFalse(cluster.contains("cross_cluster_replication"), key.toString());
        assertEquals(TestEvents.json("[\"read\",\"read_cross_cluster\",\"view_index_metadata\"]"),
                role.path("indices").path(0).path("privileges"), key.toString());
    }

    @Test
    void aRedeliveredEventChangesNothing() throws Exception {
        String connectionId = TestEvents.newConnectionId();
        ConnectionRequested event = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());
        publish(event);
        KeyCreated first = assertInstanceOf(KeyCreated.class, decode(awaitRecords(connectionId, 1).get(0)));

        publish(TestEvents.again(event));
        // Then a new request of the same connection: same partition, so it is applied after the redelivery,
        // and it announces the recorded key again (without touching Elasticsearch).
        ConnectionRequested later = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());
        publish(later);
        await().atMost(WAIT).until(() -> processed(later.eventId()) && outboxEmpty());

        List<ConsumerRecord<String, String>> records = records(connectionId);
        assertEquals(2, records.size(), "one KeyCreated for the event, one for the later request, none for the redelivery");
        KeyCreated second = assertInstanceOf(KeyCreated.class, decode(records.get(1)));
        assertEquals(first.keyId(), second.keyId());
        assertEquals(first.encodedKey(), second.encodedKey());
        assertEquals(first.keyId(), single(activeKeys(REMOTE, "crosslink-" + connectionId)).path("id").asText());
    }

    @Test
    void aKeyLeftOnElasticsearchWithoutRecordIsInvalidatedAndReplaced() throws Exception {
        String connectionId = TestEvents.newConnectionId();
        ConnectionRequested event = TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication());
        // As if key-service crashed between the create on R and its commit: the key exists, its value is lost.
        JsonNode lost = elastic(REMOTE, "POST", "/_security/cross_cluster/api_key",
                KeySpec.of(event).toJson());
        String lostId = lost.path("id").asText();

        publish(event);

        KeyCreated created = assertInstanceOf(KeyCreated.class, decode(awaitRecords(connectionId, 1).get(0)));
        assertNotEquals(lostId, created.keyId());
        assertEquals(created.keyId(), single(activeKeys(REMOTE, "crosslink-" + connectionId)).path("id").asText());
        JsonNode old = elastic(REMOTE, "GET", "/_security/api_key?id=" + lostId, null).path("api_keys").path(0);
        assertTrue(old.path("invalidated").asBoolean(), old.toString());
    }

    @Test
    void elasticsearchRefusingTheAccessEndsInKeyCreationFailedWithItsReason() throws Exception {
        String connectionId = TestEvents.newConnectionId();
        // Document level security on search is not allowed together with replication.
        Access refused = new Access(TestEvents.searchWithSecurity().search(),
                List.of(new Access.Replication(List.of("archive-*"))));
        publish(TestEvents.requested(connectionId, REMOTE, refused));

        StepFailure failure = assertInstanceOf(KeyCreationFailed.class,
                decode(awaitRecords(connectionId, 1).get(0))).failure();
        assertEquals(400, failure.httpStatus(), failure.toString());
        assertFalse(failure.retryable());
        assertFalse(failure.type().isBlank());
        assertTrue(failure.reason().contains(
                "search does not support document or field level security if replication is assigned"), failure.reason());
        assertFalse(failure.reason().contains(config.deployments().get(REMOTE).password()));
        assertTrue(activeKeys(REMOTE, "crosslink-" + connectionId).isEmpty());
    }

    @Test
    void transientErrorsAreRetriedUntilTheKeyIsCreated() throws Exception {
        String connectionId = TestEvents.newConnectionId();
        // Through the flaky proxy: a 503, then a create whose answer is lost (504), then success.
        publish(TestEvents.requested(connectionId, FLAKY, TestEvents.searchAndReplication()));

        KeyCreated created = assertInstanceOf(KeyCreated.class, decode(awaitRecords(connectionId, 1).get(0)));
        assertEquals(TestEvents.json("{\"refused\":1,\"lost_answers\":1}"), elastic(FLAKY, "GET", "/__flaky/stats", null));
        assertEquals(created.keyId(), single(activeKeys(REMOTE, "crosslink-" + connectionId)).path("id").asText(),
                "the key whose answer was lost is invalidated; exactly one active key");
        assertEquals(2, elastic(REMOTE, "GET", "/_security/api_key?name=crosslink-" + connectionId, null)
                .path("api_keys").size());
    }

    @Test
    void anUnreachableDeploymentEndsInARetryableFailureAfterTheRetries() throws Exception {
        String connectionId = TestEvents.newConnectionId();
        publish(TestEvents.requested(connectionId, UNREACHABLE, TestEvents.searchAndReplication()));

        StepFailure failure = assertInstanceOf(KeyCreationFailed.class,
                decode(awaitRecords(connectionId, 1).get(0))).failure();
        assertEquals("connection_refused", failure.type(), failure.toString());
        assertTrue(failure.retryable());
    }

    @Test
    void aDeploymentWithoutConfiguredAccessEndsInAPermanentFailure() throws Exception {
        String connectionId = TestEvents.newConnectionId();
        publish(TestEvents.requested(connectionId, "0000000000000000000000000000abcd", TestEvents.searchAndReplication()));

        StepFailure failure = assertInstanceOf(KeyCreationFailed.class,
                decode(awaitRecords(connectionId, 1).get(0))).failure();
        assertEquals("deployment_not_configured", failure.type());
        assertFalse(failure.retryable());
    }

    @Test
    void keystoreEntryRemovedInvalidatesTheKeyOnElasticsearchAndSaysSo() throws Exception {
        String connectionId = TestEvents.newConnectionId();
        String name = "crosslink-" + connectionId;
        publish(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        KeyCreated created = assertInstanceOf(KeyCreated.class, decode(awaitRecords(connectionId, 1).get(0)));
        assertEquals(created.keyId(), single(activeKeys(REMOTE, name)).path("id").asText());

        UndoChain chain = chain(Duration.ofMinutes(15));
        publish(Topics.TRUST_EVENTS, TestEvents.keystoreEntryRemoved(connectionId, chain));

        ConsumerRecord<String, String> record = awaitRecords(connectionId, 2).get(1);
        assertEquals("crosslink.KeyInvalidated", KafkaTopics.header(record, "ce_type"));
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, decode(record));
        assertEquals(List.of(created.keyId()), invalidated.keyIds());
        assertTrue(invalidated.removed());
        assertEquals(chain, invalidated.chain(), "the run it answers");
        assertTrue(activeKeys(REMOTE, name).isEmpty(), "no active key of the connection on R");
        JsonNode keys = elastic(REMOTE, "GET", "/_security/api_key?name=" + name, null).path("api_keys");
        assertEquals(1, keys.size(), keys.toString());
        assertEquals(created.keyId(), keys.path(0).path("id").asText());
        assertTrue(keys.path(0).path("invalidated").asBoolean(), keys.toString());
    }

    @Test
    void anUnreachableDeploymentEndsTheUndoInARetryableKeyInvalidationFailed() throws Exception {
        String connectionId = TestEvents.newConnectionId();
        publish(TestEvents.requested(connectionId, UNREACHABLE, TestEvents.searchAndReplication()));
        assertInstanceOf(KeyCreationFailed.class, decode(awaitRecords(connectionId, 1).get(0)));

        // The create failed, yet R was remembered: the undo searches it (and finds it unreachable after retries).
        publish(Topics.TRUST_EVENTS, TestEvents.keystoreEntryRemovalFailed(connectionId));

        StepFailure failure = assertInstanceOf(KeyInvalidationFailed.class,
                decode(awaitRecords(connectionId, 2).get(1))).failure();
        assertEquals("connection_refused", failure.type(), failure.toString());
        assertTrue(failure.retryable());
        assertFalse(failure.reason().contains(config.deployments().get(UNREACHABLE).password()));
    }

    @Test
    void anUndoAskedBeforeTheRequestAnswersItsRunAndRetriesUntilTheRunsDeadline() {
        String connectionId = TestEvents.newConnectionId();
        // Retries may start until the deadline less the report margin (default 30 s): about 6 s from now.
        UndoChain chain = chain(UndoBudget.DEFAULT_REPORT_MARGIN.plusSeconds(6));
        Instant lastStart = chain.deadline().minus(UndoBudget.DEFAULT_REPORT_MARGIN);
        KeystoreEntryRemovalFailed undo = TestEvents.keystoreEntryRemovalFailed(connectionId, chain);
        publish(Topics.TRUST_EVENTS, undo);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> processed(undo.eventId()));

        // The request queues the undo (no create); its item reads the run from the connection's row.
        publish(TestEvents.requested(connectionId, UNREACHABLE, TestEvents.searchAndReplication()));

        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class,
                decode(awaitRecords(connectionId, 1).get(0)));
        assertEquals(chain, failed.chain());
        assertEquals("connection_refused", failed.failure().type(), failed.failure().toString());
        assertTrue(failed.failure().retryable());
        assertEquals(Certainty.POSSIBLE, failed.certainty(), "the final read is refused too");
        int runs = invalidationRuns(connectionId);
        assertTrue(runs > config.key().invalidateRetries() + 1, "retried beyond the retry count: " + runs + " runs");
        // The last retry started too late for another: within the longest park (max-backoff 1 s + 20 %) of lastStart.
        assertFalse(failed.occurredAt().isBefore(lastStart.minusMillis(1_200)),
                () -> "reported at " + failed.occurredAt() + ", retries allowed until " + lastStart);
    }

    @Test
    void theUndoOfARequestThatCouldNotBeReadIsAnsweredAtOnceWithNothingRemoved() {
        String connectionId = TestEvents.newConnectionId();
        UndoChain chain = chain(Duration.ofMinutes(15));
        // The request is dead-lettered; CompensationStarted follows it on the same record key. The keystore undo is
        // read on trust-events, before or after it: the answer is the same.
        kafka().publishRaw(Topics.CONNECT_EVENTS, connectionId, "crosslink.ConnectionRequested", "{not json");
        publish(Topics.CONNECT_EVENTS, TestEvents.compensationStarted(connectionId, chain, SecurityModel.API_KEY));
        publish(Topics.TRUST_EVENTS, TestEvents.keystoreEntryRemoved(connectionId, chain));

        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class,
                decode(awaitRecords(connectionId, 1).get(0)));
        assertEquals(List.of(), invalidated.keyIds());
        assertFalse(invalidated.removed());
        assertEquals(chain, invalidated.chain());
        assertEquals(0, invalidationRuns(connectionId), "no work: R was never known and no key was created");
    }

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopic() {
        String key = TestEvents.newConnectionId();
        kafka().publishRaw(Topics.CONNECT_EVENTS, key, "crosslink.ConnectionRequested", "{not json");

        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> kafka()
                .readAll(Topics.deadLetter(Topics.CONNECT_EVENTS)).stream().anyMatch(r -> key.equals(r.key())));
    }

    // ---------------------------------------------------------------- helpers

    private KafkaTopics kafka() {
        if (kafka == null) {
            kafka = new KafkaTopics(bootstrapServers);
        }
        return kafka;
    }

    private void publish(ConnectionRequested event) {
        publish(Topics.CONNECT_EVENTS, event);
    }

    private void publish(String topic, ConnectionEvent event) {
        kafka().publish(topic, event, EventCodec.encode(event));
    }

    private List<ConsumerRecord<String, String>> records(String connectionId) {
        return kafka().readAll(Topics.KEY_EVENTS).stream().filter(r -> connectionId.equals(r.key())).toList();
    }

    private List<ConsumerRecord<String, String>> awaitRecords(String connectionId, int count) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> records(connectionId), records -> records.size() >= count);
    }

    private static ConnectionEvent decode(ConsumerRecord<String, String> record) {
        return EventCodec.decode(KafkaTopics.header(record, "ce_type"), record.value());
    }

    private boolean processed(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ProcessedEvent.findById(eventId) != null);
    }

    /** A run of the undo chain ending {@code fromNow} from now (in millis: the row keeps microseconds). */
    private static UndoChain chain(Duration fromNow) {
        return TestEvents.chain(Instant.now().plus(fromNow).truncatedTo(ChronoUnit.MILLIS));
    }

    /** How many times the connection's invalidate-keys items ran. */
    private int invalidationRuns(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("select coalesce(sum(attempts), 0) from work_item"
                        + " where connection_id = :id and kind = 'invalidate-keys'")
                .setParameter("id", connectionId)
                .getSingleResult()).intValue());
    }

    private boolean outboxEmpty() {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.count() == 0);
    }

    private String rowText(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) entityManager
                .createNativeQuery("select cast(k as text) from api_key k where connection_id = :id")
                .setParameter("id", connectionId)
                .getSingleResult());
    }

    /** Elasticsearch stores a DLS query as a string; compare it as JSON. */
    private static JsonNode query(JsonNode query) {
        return query.isTextual() ? TestEvents.json(query.asText()) : query;
    }

    private List<JsonNode> activeKeys(String deploymentId, String name) throws IOException, InterruptedException {
        JsonNode answer = elastic(deploymentId, "GET", "/_security/api_key?active_only=true&name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
        List<JsonNode> keys = new ArrayList<>();
        answer.path("api_keys").forEach(keys::add);
        return keys;
    }

    private JsonNode elastic(String deploymentId, String method, String path, String body)
            throws IOException, InterruptedException {
        KeyServiceConfig.DeploymentAccess access = config.deployments().get(deploymentId);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(access.elasticsearchUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (access.username() + ":" + access.password()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return EventCodec.mapper().readTree(response.body());
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), () -> "expected one: " + items);
        return items.get(0);
    }
}

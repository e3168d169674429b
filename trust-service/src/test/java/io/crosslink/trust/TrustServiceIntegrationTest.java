package io.crosslink.trust;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.Access;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Topics;
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * trust-service as deployed: real Kafka, real PostgreSQL (database {@code trust}), events in and out as
 * CloudEvents records, the work items run by saga-runtime's dispatcher; the Cloud API is {@link FakeCloudApi},
 * recording each keystore PATCH (and holding one unanswered when a test asks it to).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "trust"))
@QuarkusTestResource(FakeCloudApi.class)
class TrustServiceIntegrationTest {
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final String SETTING = "cluster.remote.eu-logs.credentials";

    @Inject
    SecretBox box;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "crosslink.environments.ece.url")
    String cloudUrl;

    final HttpClient http = HttpClient.newHttpClient();
    KafkaProducer<String, String> producer;
    String connection;
    String localDeployment;
    String encodedKey;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(props);
        connection = UUID.randomUUID().toString();
        localDeployment = HexFormat.of().formatHex(randomBytes(16));
        encodedKey = newEncodedKey();
    }

    @AfterEach
    void tearDown() {
        producer.close();
    }

    @Test
    void requestThenKey_writesTheKeystoreAndPublishesKeystoreUpdated() throws Exception {
        ConnectionRequested requested = requested();
        publish(Topics.CONNECT_EVENTS, requested);
        await().atMost(PATIENCE).until(() -> processed(requested.eventId()));
        assertEquals("WAITING", row().get("status"));

        KeyCreated key = key("key-1", encodedKey, Instant.now());
        publish(Topics.KEY_EVENTS, key);

        ConsumerRecord<String, String> record = awaitOutcome();
        assertEquals("crosslink.KeystoreUpdated", header(record, "ce_type"));
        assertEquals("crosslink/trust-service", header(record, "ce_source"));
        assertEquals(connection, header(record, "ce_subject"));
        KeystoreUpdated updated = assertInstanceOf(KeystoreUpdated.class,
                EventCodec.decode("crosslink.KeystoreUpdated", record.value()));
        assertEquals("cluster.remote.eu-logs.credentials", updated.settingName());
        assertFalse(record.value().contains(encodedKey));

        List<JsonNode> patches = patchesOfLocalDeployment();
        assertEquals(1, patches.size());
        JsonNode patch = patches.get(0);
        assertEquals("/api/v1/deployments/" + localDeployment + "/elasticsearch/main-elasticsearch/keystore",
                patch.path("path").asText());
        assertEquals("ApiKey " + FakeCloudApi.API_KEY, patch.path("authorization").asText());
        assertEquals(EventCodec.mapper().readTree("{\"secrets\":{\"cluster.remote.eu-logs.credentials\":"
                + "{\"value\":\"" + encodedKey + "\",\"as_file\":false}}}"),
                EventCodec.mapper().readTree(patch.path("body").asText()));

        Map<String, Object> row = row();
        assertEquals("UPDATED", row.get("status"));
        assertEquals("key-1", row.get("keystore_key_id"));
        assertEquals("main-elasticsearch", row.get("ref_id"));
        assertFalse(rowText().contains(encodedKey), "the row holds the key sealed only");
        assertTrue(processed(key.eventId()));
        Map<String, Object> work = workItem("write-keystore");
        assertEquals("DONE", work.get("state"), "the write ran as a work item");
        assertEquals("ece/" + localDeployment, work.get("deployments"));
        assertEquals("crosslink.KeyCreated", work.get("payload_type"), "queued by the event that completed it");

        // Redelivered, then a new announcement of the same key: neither writes again. The second event is on
        // the same partition, so once it is processed the redelivered one has been too.
        publish(Topics.KEY_EVENTS, key);
        KeyCreated again = key("key-1", encodedKey, Instant.now());
        publish(Topics.KEY_EVENTS, again);
        await().atMost(PATIENCE).until(() -> processed(again.eventId()));
        assertEquals(1, patchesOfLocalDeployment().size());
        await().atMost(PATIENCE).until(() -> outboxRows() == 0);
        assertEquals(1, recordsOf(Topics.TRUST_EVENTS).size(), "exactly one KeystoreUpdated");
    }

    @Test
    void keyThenRequest_transientFailuresAreRetried() throws Exception {
        // One more failure than the immediate re-sends (3) of a keystore PATCH: the first run parks.
        script("[{\"status\":503},{\"status\":502},{\"status\":503},{\"status\":503},{\"status\":503}]");
        KeyCreated key = key("key-1", encodedKey, Instant.now());
        publish(Topics.KEY_EVENTS, key);
        await().atMost(PATIENCE).until(() -> processed(key.eventId()));

        publish(Topics.CONNECT_EVENTS, requested());

        ConsumerRecord<String, String> record = awaitOutcome();
        assertEquals("crosslink.KeystoreUpdated", header(record, "ce_type"));
        assertEquals(6, patchesOfLocalDeployment().size(), "five transient failures, then success");
        assertEquals("UPDATED", row().get("status"));
        Map<String, Object> work = workItem("write-keystore");
        assertEquals(2, ((Number) work.get("attempts")).intValue(), "four PATCHes in run one, then parked; two in run two");
        assertTrue(String.valueOf(work.get("last_error")).contains("root.unavailable"), work.toString());
    }

    @Test
    void rejectionQuotingTheKey_publishesARedactedKeystoreUpdateFailed() throws Exception {
        script("[{\"status\":400,\"echo\":true}]");
        publish(Topics.CONNECT_EVENTS, requested());
        publish(Topics.KEY_EVENTS, key("key-1", encodedKey, Instant.now()));

        ConsumerRecord<String, String> record = awaitOutcome();
        assertEquals("crosslink.KeystoreUpdateFailed", header(record, "ce_type"));
        KeystoreUpdateFailed failed = assertInstanceOf(KeystoreUpdateFailed.class,
                EventCodec.decode("crosslink.KeystoreUpdateFailed", record.value()));
        assertEquals("root.invalid_json_request", failed.failure().type());
        assertEquals(400, failed.failure().httpStatus());
        assertFalse(failed.failure().retryable());
        assertTrue(failed.failure().reason().startsWith("could not apply"), failed.failure().reason());
        assertFalse(record.value().contains(encodedKey), "the Kafka record must not carry the key");
        assertEquals(1, patchesOfLocalDeployment().size(), "a permanent failure is not retried");
        assertEquals("FAILED", row().get("status"));
        assertFalse(rowText().contains(encodedKey));
    }

    @Test
    void undoChainAfterAWrite_removesTheEntryAndALateKeyIsNeverWritten() throws Exception {
        publish(Topics.CONNECT_EVENTS, requested());
        publish(Topics.KEY_EVENTS, key("key-1", encodedKey, Instant.now()));
        assertEquals("crosslink.KeystoreUpdated", header(awaitOutcome(), "ce_type"));
        assertEquals(List.of(SETTING), keystoreOfLocalDeployment());

        UndoChain chain = chain();
        publish(Topics.CONNECT_EVENTS, compensationStarted(chain, SecurityModel.API_KEY));
        publish(Topics.CONNECT_EVENTS, new RemoteRemoved(UUID.randomUUID().toString(), connection, Instant.now(),
                "eu-logs", true, null, chain));

        ConsumerRecord<String, String> record = awaitRecord("crosslink.KeystoreEntryRemoved");
        assertEquals("crosslink/trust-service", header(record, "ce_source"));
        assertEquals(connection, header(record, "ce_subject"));
        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class,
                EventCodec.decode("crosslink.KeystoreEntryRemoved", record.value()));
        assertEquals(SETTING, removed.settingName());
        assertTrue(removed.removed());
        assertEquals(chain, removed.chain(), "the chain of RemoteRemoved, carried back");

        List<JsonNode> patches = patchesOfLocalDeployment();
        assertEquals(2, patches.size());
        JsonNode removal = patches.get(1);
        assertEquals("/api/v1/deployments/" + localDeployment + "/elasticsearch/main-elasticsearch/keystore",
                removal.path("path").asText());
        assertEquals("ApiKey " + FakeCloudApi.API_KEY, removal.path("authorization").asText());
        assertEquals(EventCodec.mapper().readTree("{\"secrets\":{\"" + SETTING + "\":{\"as_file\":false}}}"),
                EventCodec.mapper().readTree(removal.path("body").asText()));
        assertEquals(List.of(), keystoreOfLocalDeployment());
        Map<String, Object> row = row();
        assertEquals("REMOVED", row.get("undo_status"));
        assertNotNull(row.get("compensating_since"));

        // A late key (say key-service replaced it while compensation ran) is recorded and nothing else.
        KeyCreated late = key("key-2", newEncodedKey(), Instant.now());
        publish(Topics.KEY_EVENTS, late);
        await().atMost(PATIENCE).until(() -> processed(late.eventId()));
        assertEquals(2, patchesOfLocalDeployment().size());
        assertEquals(List.of(), keystoreOfLocalDeployment());
        await().atMost(PATIENCE).until(() -> outboxRows() == 0);
        assertEquals(2, recordsOf(Topics.TRUST_EVENTS).size(), "KeystoreUpdated and KeystoreEntryRemoved only");
    }

    @Test
    void undoDuringTheWrite_isRecordedAtOnce_andTheRemovalRunsAfterTheWrite() throws Exception {
        // The keystore PATCH stays unanswered until the test releases it; compensation and the removal's trigger
        // arrive meanwhile. The consumer records them at once (no row lock is held across the PATCH); the removal is
        // a work item of the same connection, so it runs after the write, else the write lands last and the entry
        // survives.
        script("[{\"hold\":true}]");
        publish(Topics.CONNECT_EVENTS, requested());
        publish(Topics.KEY_EVENTS, key("key-1", encodedKey, Instant.now()));
        await().atMost(PATIENCE).until(() -> held(localDeployment) == 1);

        CompensationStarted started = compensationStarted();
        RemoteRemoved trigger = new RemoteRemoved(UUID.randomUUID().toString(), connection, Instant.now(), "eu-logs",
                true);
        publish(Topics.CONNECT_EVENTS, started);
        publish(Topics.CONNECT_EVENTS, trigger);
        await().atMost(PATIENCE).until(() -> processed(trigger.eventId()));
        assertTrue(processed(started.eventId()));
        assertEquals(1, held(localDeployment), "recorded while the write is still in flight");
        assertEquals(1, patchesOfLocalDeployment().size(), "the removal waits for the write");
        assertEquals("REMOVING", row().get("undo_status"));

        release(localDeployment);

        await().atMost(PATIENCE).until(() -> recordsOf(Topics.TRUST_EVENTS).size() == 2);
        List<JsonNode> patches = patchesOfLocalDeployment();
        assertEquals(2, patches.size());
        assertTrue(patches.get(0).path("body").asText().contains("\"value\""), "the write first");
        assertFalse(patches.get(1).path("body").asText().contains("\"value\""), "then the removal");
        assertEquals(List.of(), keystoreOfLocalDeployment(), "the entry written in flight was removed");
        Map<String, Object> row = row();
        assertEquals("UPDATED", row.get("status"));
        assertEquals("REMOVED", row.get("undo_status"));
        List<ConsumerRecord<String, String>> records = recordsOf(Topics.TRUST_EVENTS);
        assertEquals(List.of("crosslink.KeystoreUpdated", "crosslink.KeystoreEntryRemoved"),
                records.stream().map(r -> header(r, "ce_type")).toList());
        assertTrue(assertInstanceOf(KeystoreEntryRemoved.class,
                EventCodec.decode("crosslink.KeystoreEntryRemoved", records.get(1).value())).removed());
    }

    @Test
    void aDeploymentThatDoesNotAnswer_holdsUpNoOtherConnection() throws Exception {
        // A latency fault on L: its keystore PATCHes stay unanswered (each attempt, until released).
        String slow = connection;
        String slowDeployment = localDeployment;
        script("[{\"hold\":true},{\"hold\":true},{\"hold\":true},{\"hold\":true},{\"hold\":true}]");
        publish(Topics.CONNECT_EVENTS, requested());
        publish(Topics.KEY_EVENTS, key("key-1", encodedKey, Instant.now()));
        await().atMost(PATIENCE).until(() -> held(slowDeployment) == 1);

        // Meanwhile another connection, on another local deployment, on the same channels.
        connection = UUID.randomUUID().toString();
        localDeployment = HexFormat.of().formatHex(randomBytes(16));
        String fast = connection;
        String fastDeployment = localDeployment;
        String fastKey = newEncodedKey();
        ConnectionRequested fastRequest = requested();
        KeyCreated fastKeyCreated = key("key-9", fastKey, Instant.now());
        publish(Topics.CONNECT_EVENTS, fastRequest);
        publish(Topics.KEY_EVENTS, fastKeyCreated);

        ConsumerRecord<String, String> fastOutcome = awaitOutcome();
        assertEquals("crosslink.KeystoreUpdated", header(fastOutcome, "ce_type"));
        assertEquals(List.of(SETTING), keystoreOfLocalDeployment());
        // While the fast one went through both channels and its work item, the slow one is still in flight.
        assertTrue(held(slowDeployment) >= 1, "the slow PATCH is still unanswered");
        connection = slow;
        assertTrue(recordsOf(Topics.TRUST_EVENTS).isEmpty(), "no outcome for the slow connection yet");
        assertEquals("UPDATING", row().get("status"));
        given().get("/q/health/live").then().statusCode(200);

        release(slowDeployment);

        localDeployment = slowDeployment;
        ConsumerRecord<String, String> slowOutcome = awaitOutcome();
        assertEquals("crosslink.KeystoreUpdated", header(slowOutcome, "ce_type"));
        assertEquals(List.of(SETTING), keystoreOfLocalDeployment());
        assertEquals("UPDATED", row().get("status"));
        connection = fast;
        assertEquals(1, recordsOf(Topics.TRUST_EVENTS).size(), "one outcome each");
        localDeployment = fastDeployment;
        assertEquals(1, patchesOfLocalDeployment().size());
    }

    @Test
    void undoChainWithNothingWritten_announcesRemovedFalseWithoutAPatch() throws Exception {
        ConnectionRequested requested = requested();
        publish(Topics.CONNECT_EVENTS, requested);
        publish(Topics.CONNECT_EVENTS, compensationStarted());
        publish(Topics.CONNECT_EVENTS, new RemoteRemovalFailed(UUID.randomUUID().toString(), connection,
                Instant.now(), new StepFailure("http_503", "unavailable", 503, true)));

        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, EventCodec.decode(
                "crosslink.KeystoreEntryRemoved", awaitRecord("crosslink.KeystoreEntryRemoved").value()));
        assertFalse(removed.removed());
        assertEquals(SETTING, removed.settingName());

        KeyCreated late = key("key-1", encodedKey, Instant.now());
        publish(Topics.KEY_EVENTS, late);
        await().atMost(PATIENCE).until(() -> processed(late.eventId()));
        assertTrue(patchesOfLocalDeployment().isEmpty(), "neither a removal nor a late write");
    }

    @Test
    void requestDeadLettered_apiKey_theUndoIsAnsweredFromCompensationStarted() throws Exception {
        publishUnreadableRequest();
        UndoChain chain = chain();
        publish(Topics.CONNECT_EVENTS, compensationStarted(chain, SecurityModel.API_KEY));
        publish(Topics.CONNECT_EVENTS, new RemoteRemoved(UUID.randomUUID().toString(), connection, Instant.now(),
                "eu-logs", false, null, chain));

        KeystoreEntryRemoved removed = assertInstanceOf(KeystoreEntryRemoved.class, EventCodec.decode(
                "crosslink.KeystoreEntryRemoved", awaitRecord("crosslink.KeystoreEntryRemoved").value()));
        assertFalse(removed.removed());
        assertEquals(SETTING, removed.settingName());
        assertEquals(chain, removed.chain());
        assertFalse(recordsOf(Topics.deadLetter(Topics.CONNECT_EVENTS)).isEmpty(), "the request went to the DLQ");
        assertTrue(patchesOfLocalDeployment().isEmpty());
        assertEquals("API_KEY", unreadRequest().get("security_model"));
    }

    @Test
    void requestDeadLettered_tls_remoteRemovedFirst_isAnsweredOnceCompensationStartedComes() throws Exception {
        publishUnreadableRequest();
        UndoChain chain = chain();
        RemoteRemoved trigger = new RemoteRemoved(UUID.randomUUID().toString(), connection, Instant.now(), "eu-logs",
                false, null, chain);
        publish(Topics.CONNECT_EVENTS, trigger);
        await().atMost(PATIENCE).until(() -> processed(trigger.eventId()));
        assertTrue(unreadRequest().get("waiting_trigger").toString().contains(trigger.eventId()));

        publish(Topics.CONNECT_EVENTS, compensationStarted(chain, SecurityModel.TLS_CERTIFICATE));

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, EventCodec.decode("crosslink.TrustRemoved",
                awaitRecord("crosslink.TrustRemoved").value()));
        assertFalse(removed.removed());
        assertEquals(List.of(), removed.edits());
        assertEquals(chain, removed.chain());
        Map<String, Object> unread = unreadRequest();
        assertEquals("TLS_CERTIFICATE", unread.get("security_model"));
        assertEquals(null, unread.get("waiting_trigger"), "answered, no longer waiting");
        await().atMost(PATIENCE).until(() -> outboxRows() == 0);
        assertEquals(1, recordsOf(Topics.TRUST_EVENTS).size(), "TrustRemoved only");
    }

    @Test
    void unreadableRecord_goesToTheDeadLetterTopic() {
        producer.send(withHeaders(new ProducerRecord<>(Topics.CONNECT_EVENTS, connection, "{not json"),
                "crosslink.ConnectionRequested", UUID.randomUUID().toString()));
        producer.flush();

        await().atMost(PATIENCE).until(() -> !recordsOf(Topics.deadLetter(Topics.CONNECT_EVENTS)).isEmpty());
    }

    // --- events

    private ConnectionRequested requested() {
        ConnectionRequest request = new ConnectionRequest("eu-logs", SecurityModel.API_KEY,
                new DeploymentRef("ece", localDeployment, null),
                new DeploymentRef("ess", "0b5e55ed12345678abcdef0123456789", null),
                new Access(List.of(new Access.Search(List.of("demo-*"), null, null, null)), null), true);
        return new ConnectionRequested(UUID.randomUUID().toString(), connection, Instant.now(), request,
                new DeploymentInfo("ece", localDeployment, "main-elasticsearch", "e5f60718293a4b5cc0ffee00a1b2c3d4",
                        "127.0.20.1", "8.19.21"),
                new DeploymentInfo("ess", "0b5e55ed12345678abcdef0123456789", "main-elasticsearch",
                        "abcdef01234567890b5e55ed12345678", "127.0.20.2", "8.19.21"));
    }

    private UndoChain chain() {
        return new UndoChain(UUID.randomUUID().toString(), Instant.now().plus(Duration.ofMinutes(15)));
    }

    private CompensationStarted compensationStarted(UndoChain chain, SecurityModel model) {
        return new CompensationStarted(chain.id(), connection, Instant.now(), CompensationCause.FAILURE,
                new StepFailure("search_failed", "no search through the remote", 403, false), chain, model);
    }

    private CompensationStarted compensationStarted() {
        return new CompensationStarted(UUID.randomUUID().toString(), connection, Instant.now(),
                CompensationCause.FAILURE, new StepFailure("search_failed", "no search through the remote", 403,
                        false));
    }

    private KeyCreated key(String keyId, String encoded, Instant at) {
        return new KeyCreated(UUID.randomUUID().toString(), connection, at, keyId, "crosslink-" + connection,
                box.seal(encoded, connection));
    }

    private static String newEncodedKey() {
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(15));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(16));
        return Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    // --- Kafka

    /** A ConnectionRequested record of this connection that cannot be read: it goes to the dead-letter topic. */
    private void publishUnreadableRequest() throws Exception {
        producer.send(withHeaders(new ProducerRecord<>(Topics.CONNECT_EVENTS, connection, "{not json"),
                "crosslink.ConnectionRequested", UUID.randomUUID().toString())).get();
    }

    private void publish(String topic, ConnectionEvent event) throws Exception {
        producer.send(withHeaders(new ProducerRecord<>(topic, event.connectionId(), EventCodec.encode(event)),
                event.cloudEventType(), event.eventId())).get();
    }

    private ProducerRecord<String, String> withHeaders(ProducerRecord<String, String> record, String type,
            String id) {
        record.headers()
                .add("ce_specversion", bytes("1.0"))
                .add("ce_id", bytes(id))
                .add("ce_type", bytes(type))
                .add("ce_source", bytes("crosslink/test"))
                .add("ce_subject", bytes(connection))
                .add("content-type", bytes("application/json"));
        return record;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The first record of this connection on trust-events with the given CloudEvents type. */
    private ConsumerRecord<String, String> awaitRecord(String ceType) {
        return await().atMost(PATIENCE).until(() -> recordsOf(Topics.TRUST_EVENTS).stream()
                .filter(r -> ceType.equals(header(r, "ce_type"))).findFirst(), found -> found.isPresent()).get();
    }

    private ConsumerRecord<String, String> awaitOutcome() {
        return await().atMost(PATIENCE).until(() -> recordsOf(Topics.TRUST_EVENTS), records -> !records.isEmpty())
                .get(0);
    }

    /** Every record of the topic keyed by this test's connection, from the beginning. */
    private List<ConsumerRecord<String, String>> recordsOf(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (connection.equals(record.key())) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    // --- the fake Cloud API

    private void script(String answers) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cloudUrl + "/_test/script/"
                + localDeployment)).POST(HttpRequest.BodyPublishers.ofString(answers)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, response.statusCode());
    }

    private void release(String deployment) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cloudUrl + "/_test/release/"
                + deployment)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, response.statusCode());
    }

    /** How many keystore PATCHes of a deployment the fake Cloud API holds unanswered now. */
    private int held(String deployment) throws Exception {
        return Integer.parseInt(http.send(HttpRequest.newBuilder(URI.create(cloudUrl + "/_test/held/" + deployment))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The entry names the fake Cloud API's keystore of the local deployment holds. */
    private List<String> keystoreOfLocalDeployment() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(cloudUrl + "/_test/keystore/" + localDeployment))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> names = new ArrayList<>();
        EventCodec.mapper().readTree(body).forEach(name -> names.add(name.asText()));
        return names;
    }

    private List<JsonNode> patchesOfLocalDeployment() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(cloudUrl + "/_test/requests")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<JsonNode> patches = new ArrayList<>();
        for (JsonNode request : EventCodec.mapper().readTree(body)) {
            if (request.path("method").asText().equals("PATCH")
                    && request.path("path").asText().contains("/" + localDeployment + "/")) {
                patches.add(request);
            }
        }
        return patches;
    }

    // --- the database

    private boolean processed(String eventId) throws SQLException {
        return count("select count(*) from inbox where event_id = ?", eventId) == 1;
    }

    private long outboxRows() throws SQLException {
        return count("select count(*) from outbox where record_key = ?", connection);
    }

    private long count(String sql, String parameter) throws SQLException {
        try (Connection db = dataSource.getConnection(); PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** The connection's (single) work item of a kind. */
    private Map<String, Object> workItem(String kind) throws SQLException {
        try (Connection db = dataSource.getConnection();
                PreparedStatement statement = db.prepareStatement(
                        "select * from work_item where connection_id = ? and kind = ?")) {
            statement.setString(1, connection);
            statement.setString(2, kind);
            try (ResultSet result = statement.executeQuery()) {
                assertTrue(result.next(), "no " + kind + " work item for " + connection);
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnName(i), result.getObject(i));
                }
                assertFalse(result.next(), "one " + kind + " work item");
                return row;
            }
        }
    }

    private Map<String, Object> unreadRequest() throws SQLException {
        try (Connection db = dataSource.getConnection();
                PreparedStatement statement = db.prepareStatement(
                        "select * from unread_request where connection_id = ?")) {
            statement.setString(1, connection);
            try (ResultSet result = statement.executeQuery()) {
                assertTrue(result.next(), "no unread_request row for " + connection);
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnName(i), result.getObject(i));
                }
                return row;
            }
        }
    }

    private Map<String, Object> row() throws SQLException {
        try (Connection db = dataSource.getConnection();
                PreparedStatement statement = db.prepareStatement(
                        "select * from keystore_entry where connection_id = ?")) {
            statement.setString(1, connection);
            try (ResultSet result = statement.executeQuery()) {
                assertTrue(result.next(), "no keystore_entry row for " + connection);
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnName(i), result.getObject(i));
                }
                return row;
            }
        }
    }

    /** The whole row as PostgreSQL prints it: every column, whatever its name. */
    private String rowText() throws SQLException {
        try (Connection db = dataSource.getConnection();
                PreparedStatement statement = db.prepareStatement(
                        "select cast(k as text) from keystore_entry k where connection_id = ?")) {
            statement.setString(1, connection);
            try (ResultSet result = statement.executeQuery()) {
                assertTrue(result.next());
                return result.getString(1);
            }
        }
    }
}

package io.crosslink.trust;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Registration;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Topics;
import io.crosslink.events.TrustEdit;
import io.crosslink.events.TrustRequest;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.UndoChain;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.crosslink.trust.domain.TrustSettingsEditor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
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
 * The certificate model as deployed: real Kafka and PostgreSQL ({@code trust_link}, {@code trust_edit},
 * {@code work_item}: the step and the undo run as work items, parking while a plan is pending), events in and out as
 * CloudEvents records; {@link FakeCloudApi} keeps two deployments' trust settings as cloud-sim does (an
 * ECE one and an Elastic Cloud one, each reached with its environment's API key). The real cloud-sim with real
 * transport TLS is exercised end to end by the e2e module.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "trust"))
@QuarkusTestResource(FakeCloudApi.class)
class CertificateTrustIntegrationTest {
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final String ECE_ACCOUNT = "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87";
    static final String ESS_ORG = "4285051796";

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "crosslink.environments.ece.url")
    String cloudUrl;

    final HttpClient http = HttpClient.newHttpClient();
    KafkaProducer<String, String> producer;
    String connection;
    DeploymentInfo local;
    DeploymentInfo remote;

    @BeforeEach
    void setUp() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(props);
        connection = UUID.randomUUID().toString();
        local = new DeploymentInfo("ece", hex(16), "main-elasticsearch", hex(16), "127.0.20.1", "8.19.21", "ECE",
                ECE_ACCOUNT, 9300);
        remote = new DeploymentInfo("ess", hex(16), "main-elasticsearch", hex(16), "127.0.20.2", "8.19.21", "ESS",
                ESS_ORG, 9400);
        register(local, "local", FakeCloudApi.API_KEY, "ece-local-ca.pem", ECE_ACCOUNT, "environment");
        register(remote, "remote", FakeCloudApi.ESS_API_KEY, "ess-remote-ca.pem", ESS_ORG, "organization");
    }

    @AfterEach
    void tearDown() {
        producer.close();
    }

    @Test
    void trustBothWays_thenTheUndoChain_leavesBothDeploymentsAsTheyWere() throws Exception {
        JsonNode localBefore = trustOf(local);
        JsonNode remoteBefore = trustOf(remote);

        publish(requested());

        ConsumerRecord<String, String> record = awaitRecord("crosslink.TrustUpdated");
        assertEquals("crosslink/trust-service", header(record, "ce_source"));
        assertEquals(connection, header(record, "ce_subject"));
        TrustUpdated updated = assertInstanceOf(TrustUpdated.class,
                EventCodec.decode("crosslink.TrustUpdated", record.value()));
        assertEquals(List.of(new TrustEdit(local.deploymentId(), remote.deploymentId(), "direct", ESS_ORG, true, false,
                List.of(), List.of()), new TrustEdit(remote.deploymentId(), local.deploymentId(), "direct",
                        ECE_ACCOUNT, true, false, List.of(), List.of())),
                updated.edits().stream().map(TrustSettingsEditor::normalized).toList());
        JsonNode localAfter = trustOf(local);
        JsonNode remoteAfter = trustOf(remote);
        assertEquals(localBefore.path("accounts"), localAfter.path("accounts"));
        assertEquals(1, localAfter.path("direct").size(), "exactly one new entry on L");
        assertEquals(List.of(remote.clusterId()), texts(localAfter.path("direct").get(0).path("trust_allowlist")));
        assertEquals("ESS", localAfter.path("direct").get(0).path("type").asText());
        assertEquals(1, remoteAfter.path("direct").size(), "exactly one new entry on R");
        assertEquals("ECE", remoteAfter.path("direct").get(0).path("type").asText());
        assertEquals(List.of(local.clusterId()), texts(remoteAfter.path("direct").get(0).path("trust_allowlist")));
        List<JsonNode> puts = requests("PUT");
        assertEquals(2, puts.size());
        assertEquals("version=1", puts.get(0).path("query").asText(), "the update names the version read");
        assertEquals("ApiKey " + FakeCloudApi.ESS_API_KEY, puts.get(1).path("authorization").asText(),
                "each deployment through its own environment's Cloud API");
        Map<String, String> link = row("select status, local_deployment_id from trust_link where connection_id = ?");
        assertEquals("UPDATED", link.get("status"));
        assertEquals(local.deploymentId(), link.get("local_deployment_id"));
        assertEquals("2", row("select count(*) as n from trust_edit where connection_id = ? and state = 'APPLIED'"
                + " and direct_uid is not null").get("n"));
        Map<String, String> work = row("select state, deployments, attempts, checkpoint from work_item"
                + " where connection_id = ? and kind = 'update-trust'");
        assertEquals("DONE", work.get("state"));
        assertEquals(List.of("ece/" + local.deploymentId(), "ess/" + remote.deploymentId()).stream().sorted()
                .collect(java.util.stream.Collectors.joining(",")), work.get("deployments"), "L and R");
        assertTrue(Integer.parseInt(work.get("attempts")) >= 2, "parked for the pending plan: " + work);
        assertTrue(work.get("checkpoint").contains("deadline"), "the plan wait's checkpoint: " + work);

        UndoChain chain = new UndoChain(UUID.randomUUID().toString(), Instant.now().plus(Duration.ofMinutes(15)));
        publish(new CompensationStarted(chain.id(), connection, Instant.now(), CompensationCause.FAILURE,
                new StepFailure("search_failed", "no search", 403, false), chain, SecurityModel.TLS_CERTIFICATE));
        publish(new RemoteRemoved(UUID.randomUUID().toString(), connection, Instant.now(), "eu-logs", false, null,
                chain));

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, EventCodec.decode("crosslink.TrustRemoved",
                awaitRecord("crosslink.TrustRemoved").value()));
        assertTrue(removed.removed());
        assertEquals(updated.edits(), removed.edits());
        assertEquals(chain, removed.chain(), "the chain of RemoteRemoved, carried back");
        assertEquals(localBefore, trustOf(local), "L's trust is what it was before the saga");
        assertEquals(remoteBefore, trustOf(remote));
        assertEquals("REMOVED", row("select undo_status from trust_link where connection_id = ?").get("undo_status"));
        assertEquals("DONE", row("select state from work_item where connection_id = ? and kind = 'remove-trust'")
                .get("state"));
        await().atMost(PATIENCE).until(() -> count("select count(*) from outbox where record_key = ?") == 0);
        assertEquals(List.of("crosslink.TrustUpdated", "crosslink.TrustRemoved"), recordsOf(Topics.TRUST_EVENTS)
                .stream().map(r -> header(r, "ce_type")).toList(), "no keystore event for a certificate-model chain");
    }

    @Test
    void compensationBeforeTheRequest_writesNothing_andTheUndoSaysSo() throws Exception {
        publish(new CompensationStarted(UUID.randomUUID().toString(), connection, Instant.now(),
                CompensationCause.DEADLINE, null));
        ConnectionRequested requested = requested();
        publish(requested);
        publish(new RemoteRemoved(UUID.randomUUID().toString(), connection, Instant.now(), "eu-logs", false));

        TrustRemoved removed = assertInstanceOf(TrustRemoved.class, EventCodec.decode("crosslink.TrustRemoved",
                awaitRecord("crosslink.TrustRemoved").value()));
        assertFalse(removed.removed());
        assertTrue(requests("PUT").isEmpty());
        assertEquals("ABANDONED", row("select status from trust_link where connection_id = ?").get("status"));
        assertEquals(1, count("select count(*) from inbox where event_id = ?", requested.eventId()));
    }

    // --- events

    private ConnectionRequested requested() {
        ConnectionRequest request = ConnectionRequest.tlsCertificate("eu-logs",
                new DeploymentRef("ece", local.deploymentId(), null), new DeploymentRef("ess", remote.deploymentId(),
                        null), true, new TrustRequest(false), Registration.CLUSTER_SETTINGS);
        return new ConnectionRequested(UUID.randomUUID().toString(), connection, Instant.now(), request, local,
                remote);
    }

    private void publish(ConnectionEvent event) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.CONNECT_EVENTS, event.connectionId(),
                EventCodec.encode(event));
        record.headers()
                .add("ce_specversion", bytes("1.0"))
                .add("ce_id", bytes(event.eventId()))
                .add("ce_type", bytes(event.cloudEventType()))
                .add("ce_source", bytes("crosslink/test"))
                .add("ce_subject", bytes(connection))
                .add("content-type", bytes("application/json"));
        producer.send(record).get();
    }

    private ConsumerRecord<String, String> awaitRecord(String ceType) {
        return await().atMost(PATIENCE).until(() -> recordsOf(Topics.TRUST_EVENTS).stream()
                .filter(r -> ceType.equals(header(r, "ce_type"))).findFirst(), found -> found.isPresent()).get();
    }

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

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // --- the fake Cloud API

    private void register(DeploymentInfo deployment, String name, String apiKey, String caFile, String account,
            String what) throws Exception {
        ObjectNode spec = EventCodec.mapper().createObjectNode().put("name", name).put("apiKey", apiKey)
                .put("ca", pem(caFile));
        spec.set("trust", EventCodec.mapper().readTree(("{'accounts':[{'account_id':'" + account + "','name':"
                + "'Default trust for own " + what + "','trust_all':true,'trust_allowlist':[]}],'external':[],"
                + "'direct':[]}").replace('\'', '"')));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cloudUrl + "/_test/deployment/"
                + deployment.deploymentId())).POST(HttpRequest.BodyPublishers.ofString(EventCodec.encode(spec)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, response.statusCode());
    }

    private JsonNode trustOf(DeploymentInfo deployment) throws Exception {
        return EventCodec.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(cloudUrl
                + "/_test/deployment/" + deployment.deploymentId())).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    }

    /** This test's requests of a method to its two deployments, in order of arrival. */
    private List<JsonNode> requests(String method) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(cloudUrl + "/_test/requests")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode request : EventCodec.mapper().readTree(body)) {
            String path = request.path("path").asText();
            if (request.path("method").asText().equals(method) && (path.contains(local.deploymentId())
                    || path.contains(remote.deploymentId()))) {
                found.add(request);
            }
        }
        return found;
    }

    // --- the database

    private Map<String, String> row(String sql) throws SQLException {
        try (Connection db = dataSource.getConnection(); PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, connection);
            try (ResultSet result = statement.executeQuery()) {
                assertTrue(result.next(), "no row: " + sql);
                Map<String, String> row = new java.util.HashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnName(i), result.getString(i));
                }
                return row;
            }
        }
    }

    private long count(String sql) throws SQLException {
        return count(sql, connection);
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

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static String pem(String name) throws IOException {
        try (InputStream in = CertificateTrustIntegrationTest.class.getResourceAsStream("/certs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}

package io.crosslink.key;

import static io.crosslink.key.support.ElasticsearchTestResource.REMOTE;
import static io.crosslink.key.support.ElasticsearchTestResource.SLOW;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import io.crosslink.key.config.KeyServiceConfig;
import io.crosslink.key.service.KeyWork;
import io.crosslink.key.support.ElasticsearchTestResource;
import io.crosslink.key.support.KafkaTopics;
import io.crosslink.key.support.TestEvents;
import io.crosslink.runtime.messaging.ProcessedEvent;
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
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * No deployment may stall another: with real Kafka, PostgreSQL and Elasticsearch, a deployment that does not answer
 * ({@link ElasticsearchTestResource#SLOW}: every call held until the test releases it) neither blocks the
 * {@code connect-events} consumer nor takes more than its share of the workers ({@code crosslink.work.per-deployment}),
 * so another deployment's key is created and announced while the slow ones are still pending. No timings are
 * asserted: only what happened before what.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key"))
@QuarkusTestResource(value = ElasticsearchTestResource.class, parallel = true)
class SlowDeploymentTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaTopics kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "crosslink.work.per-deployment")
    int perDeployment;

    @Inject
    KeyServiceConfig config;

    @Inject
    EntityManager entityManager;

    @AfterAll
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aDeploymentThatDoesNotAnswerDelaysNoOtherDeploymentsKey() throws Exception {
        // More connections on the slow deployment than it has permits.
        List<ConnectionRequested> slow = IntStream.range(0, perDeployment + 1)
                .mapToObj(i -> TestEvents.requested(TestEvents.newConnectionId(), SLOW, TestEvents.searchAndReplication()))
                .toList();
        try {
            slow.forEach(event -> publish(Topics.CONNECT_EVENTS, event));

            // The consumer recorded each request with its work item, although none of the slow calls is answered.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> slow.stream()
                    .allMatch(event -> processed(event.eventId()) && pendingWork(event.connectionId()) == 1));
            // Workers are stuck on the slow deployment: as many as it has permits.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> slowStats().path("waiting").asInt() >= perDeployment);

            ConnectionRequested fast = TestEvents.requested(TestEvents.newConnectionId(), REMOTE,
                    TestEvents.searchAndReplication());
            publish(Topics.CONNECT_EVENTS, fast);
            KeyCreated created = assertInstanceOf(KeyCreated.class, decode(awaitRecords(fast.connectionId(), 1).get(0)));

            // The fast connection's key is out while every slow connection is still pending, unanswered.
            assertEquals(created.keyId(), single(activeKeys(REMOTE, created.keyName())).path("id").asText());
            for (ConnectionRequested event : slow) {
                assertEquals(List.of(), records(event.connectionId()), "no outcome yet for " + event.connectionId());
                assertEquals(1, pendingWork(event.connectionId()), "still pending: " + event.connectionId());
            }
            JsonNode stats = slowStats();
            assertTrue(stats.path("waiting").asInt() >= 1, "the slow deployment still holds calls: " + stats);
            assertTrue(stats.path("max_waiting").asInt() <= perDeployment,
                    "never more calls to one deployment at once than its permits: " + stats);
            // The consumers acknowledge as they go: the channels, and so liveness, stay up.
            given().when().get("/q/health/live").then().statusCode(200);
        } finally {
            release();
        }

        // Once the deployment answers, the parked items run again and each slow connection gets exactly one key.
        for (ConnectionRequested event : slow) {
            KeyCreated key = assertInstanceOf(KeyCreated.class, decode(awaitRecords(event.connectionId(), 1).get(0)));
            assertEquals(key.keyId(), single(activeKeys(REMOTE, key.keyName())).path("id").asText());
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> slow.stream().allMatch(event -> pendingWork(event.connectionId()) == 0));
    }

    // ---------------------------------------------------------------- helpers

    private KafkaTopics kafka() {
        if (kafka == null) {
            kafka = new KafkaTopics(bootstrapServers);
        }
        return kafka;
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

    /** The connection's unfinished create-key items. */
    private long pendingWork(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                        "select count(*) from work_item where connection_id = :id and kind = :kind and state = 'PENDING'")
                .setParameter("id", connectionId)
                .setParameter("kind", KeyWork.CREATE_KEY)
                .getSingleResult()).longValue());
    }

    private JsonNode slowStats() throws IOException, InterruptedException {
        return proxy("GET", "/__flaky/stats");
    }

    private void release() throws IOException, InterruptedException {
        proxy("POST", "/__flaky/release");
    }

    private JsonNode proxy(String method, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(config.deployments().get(SLOW).elasticsearchUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return EventCodec.mapper().readTree(response.body());
    }

    private List<JsonNode> activeKeys(String deploymentId, String name) throws IOException, InterruptedException {
        KeyServiceConfig.DeploymentAccess access = config.deployments().get(deploymentId);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(access.elasticsearchUrl()
                        + "/_security/api_key?active_only=true&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (access.username() + ":" + access.password()).getBytes(StandardCharsets.UTF_8)))
                .GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = EventCodec.mapper().readTree(response.body());
        return java.util.stream.StreamSupport.stream(answer.path("api_keys").spliterator(), false).toList();
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), () -> "expected one: " + items);
        return items.get(0);
    }
}

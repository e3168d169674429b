package io.crosslink.connect.messaging;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.between;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.support.Connections;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Topics;
import io.crosslink.events.secret.SecretBox;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events of the other services folded into the connection, and the remote registration on L. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
class SagaFoldingTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "crosslink.deployments." + ElasticStandIn.LOCAL + ".elasticsearch-url")
    String localElasticsearch;

    KafkaTestClient kafka;

    @BeforeEach
    void clients() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @Test
    void eventsAdvanceTheConnectionAndKeystoreUpdatedRegistersTheRemote() {
        String alias = alias("saga");
        String id = requested(valid(alias));

        KeyCreated keyCreated = keyCreated(id);
        kafka.publish(Topics.KEY_EVENTS, keyCreated);
        Connections.awaitStatus(id, "KEY_CREATED", "create_key");

        kafka.publish(Topics.TRUST_EVENTS, new KeystoreUpdated(UUID.randomUUID().toString(), id, Instant.now(),
                ConnectionRequest.credentialsSetting(alias)));
        Connections.awaitStatus(id, "REMOTE_CONNECTED", "register_remote");

        JsonNode remote = clusterSettings().path("persistent").path("cluster").path("remote").path(alias);
        assertEquals("proxy", remote.path("mode").asText());
        assertEquals(ElasticStandIn.REMOTE_ENDPOINT + ":9443", remote.path("proxy_address").asText());
        assertEquals(ElasticStandIn.REMOTE_ENDPOINT, remote.path("server_name").asText());
        assertEquals("true", remote.path("skip_unavailable").asText());
        ConsumerRecord<String, String> record = kafka.await(Topics.CONNECT_EVENTS,
                r -> id.equals(r.key()) && "crosslink.RemoteConnected".equals(KafkaTestClient.header(r, "ce_type").orElse(null)));
        RemoteConnected connected = (RemoteConnected) EventCodec.decode("crosslink.RemoteConnected", record.value());
        assertEquals(alias, connected.alias());
        assertEquals(ElasticStandIn.REMOTE_ENDPOINT + ":9443", connected.proxyAddress());
        assertEquals(true, connected.skipUnavailable());

        // A redelivered event changes nothing; a late lower step is recorded but does not move the status back.
        kafka.publish(Topics.KEY_EVENTS, keyCreated);
        kafka.publish(Topics.KEY_EVENTS, keyCreated(id));
        kafka.publish(Topics.VERIFY_EVENTS, new ConnectionVerified(UUID.randomUUID().toString(), id, Instant.now(),
                alias + ":demo-*", 3, 18, 1));
        Connections.awaitStatus(id, "VERIFIED", "verify");
        List<String> events = given().get("/api/v1/connections/{id}", id).path("timeline.event");
        assertEquals(List.of("ConnectionRequested", "KeyCreated", "KeystoreUpdated", "RemoteConnected", "KeyCreated",
                "ConnectionVerified"), events);

        String document = given().get("/api/v1/connections/{id}", id).asString();
        List<ConsumerRecord<String, String>> statuses = kafka.awaitAll(Topics.CONNECTION_STATUS,
                r -> id.equals(r.key()) && r.value().contains("\"VERIFIED\""), 1);
        assertEquals(TestRequests.json(document), TestRequests.json(statuses.get(statuses.size() - 1).value()),
                "connection-status carries the same document as GET");
        assertEquals("crosslink.ConnectionStatus",
                KafkaTestClient.header(statuses.get(0), "ce_type").orElseThrow());
    }

    @Test
    void aRefusedRegistrationFailsTheConnectionWithElasticsError() {
        String id = requested(between(alias("refused"), ElasticStandIn.LOCAL_REFUSING, ElasticStandIn.REMOTE));

        kafka.publish(Topics.TRUST_EVENTS, new KeystoreUpdated(UUID.randomUUID().toString(), id, Instant.now(), "s"));

        Connections.awaitStatus(id, "FAILED", "register_remote");
        given().get("/api/v1/connections/{id}", id).then()
                .body("timeline.event", contains("ConnectionRequested", "KeystoreUpdated", "RemoteRegistrationFailed"))
                .body("timeline[2].outcome", equalTo("failed"))
                .body("timeline[2].errorType", equalTo("illegal_argument_exception"))
                .body("timeline[2].httpStatus", equalTo(400));
        kafka.await(Topics.CONNECT_EVENTS, r -> id.equals(r.key())
                && "crosslink.RemoteRegistrationFailed".equals(KafkaTestClient.header(r, "ce_type").orElse(null)));
    }

    @Test
    void aFailedStepFailsTheConnection() {
        String id = requested(valid(alias("keyfail")));

        kafka.publish(Topics.KEY_EVENTS, new KeyCreationFailed(UUID.randomUUID().toString(), id, Instant.now(),
                new StepFailure("security_exception", "unable to authenticate user [crosslink]", 401, false)));

        Connections.awaitStatus(id, "FAILED", "create_key");
        given().get("/api/v1/connections/{id}", id).then()
                .body("timeline[1].errorType", equalTo("security_exception"))
                .body("timeline[1].errorReason", equalTo("unable to authenticate user [crosslink]"))
                .body("timeline[1].httpStatus", equalTo(401));
    }

    @Test
    void anUnreadableEventGoesToTheDeadLetterTopic() {
        String key = UUID.randomUUID().toString();
        kafka.send(Topics.KEY_EVENTS, key, "{\"eventId\":\"x\"}", "crosslink.KeyCreated");

        ConsumerRecord<String, String> dead = kafka.await(Topics.deadLetter(Topics.KEY_EVENTS), r -> key.equals(r.key()));
        assertFalse(KafkaTestClient.header(dead, "dead-letter-reason").orElse("").isEmpty());
    }

    /** Posts a request and waits for its checks: the saga has started. */
    private static String requested(ObjectNode body) {
        String id = given().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/connections")
                .then().statusCode(202).extract().path("id");
        Connections.awaitStatus(id, "REQUESTED", "validate");
        return id;
    }

    private static KeyCreated keyCreated(String id) {
        SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
        return new KeyCreated(UUID.randomUUID().toString(), id, Instant.now(), "key-" + id, "crosslink-" + id,
                box.seal("encoded-key-of-" + id, id));
    }

    private JsonNode clusterSettings() {
        String credentials = Base64.getEncoder().encodeToString(
                (ElasticStandIn.ES_USER + ":" + ElasticStandIn.ES_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return TestRequests.json(given().header("Authorization", "Basic " + credentials)
                .get(localElasticsearch + "/_cluster/settings").then().statusCode(200).extract().asString());
    }
}

package io.crosslink.connect.messaging;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.support.Connections;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.StandIn;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events of the other services folded into the connection, and the remote registration (and re-registration) on L. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class SagaFoldingTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

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

        JsonNode remote = StandIn.of(ElasticStandIn.LOCAL).remote(alias);
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
    void aReplacedKeystoreEntryReRegistersTheRemoteByNullingAndWritingIt() {
        String alias = alias("rereg");
        String id = requested(valid(alias));
        StandIn local = StandIn.of(ElasticStandIn.LOCAL);
        kafka.publish(Topics.KEY_EVENTS, keyCreated(id));
        kafka.publish(Topics.TRUST_EVENTS, new KeystoreUpdated(UUID.randomUUID().toString(), id, Instant.now(),
                ConnectionRequest.credentialsSetting(alias)));
        Connections.awaitStatus(id, "REMOTE_CONNECTED", "register_remote");
        kafka.publish(Topics.VERIFY_EVENTS, new ConnectionVerified(UUID.randomUUID().toString(), id, Instant.now(),
                alias + ":demo-*", 3, 18, 1));
        Connections.awaitStatus(id, "VERIFIED", "verify");

        // trust-service replaced the key and wrote the keystore again.
        kafka.publish(Topics.TRUST_EVENTS, new KeystoreUpdated(UUID.randomUUID().toString(), id, Instant.now(),
                ConnectionRequest.credentialsSetting(alias)));

        List<RemoteConnected> connected = kafka.awaitEvents(id, RemoteConnected.class, 2);
        assertEquals(alias, connected.get(1).alias());
        List<JsonNode> requests = local.requestsFor(alias);
        assertEquals(3, requests.size(), "registration, then null and write again: " + requests);
        assertEquals(requests.get(0), requests.get(2), "the same settings written again");
        CompensationPathsTest.assertRemoval(alias, requests.get(1));
        assertEquals("proxy", local.remote(alias).path("mode").asText());
        Connections.awaitTimeline(id, "RemoteConnected", 2);
        given().get("/api/v1/connections/{id}", id).then().body("status", equalTo("VERIFIED"));
    }

    @Test
    void anUnreadableEventGoesToTheDeadLetterTopic() {
        String key = UUID.randomUUID().toString();
        kafka.send(Topics.KEY_EVENTS, key, "{\"eventId\":\"x\"}", "crosslink.KeyCreated");

        ConsumerRecord<String, String> dead = kafka.await(Topics.deadLetter(Topics.KEY_EVENTS), r -> key.equals(r.key()));
        assertFalse(KafkaTestClient.header(dead, "dead-letter-reason").orElse("").isEmpty());
    }

    private static String requested(ObjectNode body) {
        return Connections.requested(body);
    }

    private static KeyCreated keyCreated(String id) {
        SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
        return new KeyCreated(UUID.randomUUID().toString(), id, Instant.now(), "key-" + id, "crosslink-" + id,
                box.seal("encoded-key-of-" + id, id));
    }
}

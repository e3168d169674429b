package io.crosslink.connect.rest;

import static io.crosslink.connect.support.Connections.awaitStatus;
import static io.crosslink.connect.support.Connections.events;
import static io.crosslink.connect.support.Connections.requested;
import static io.crosslink.connect.support.SagaEvents.keyCreated;
import static io.crosslink.connect.support.SagaEvents.keyInvalidated;
import static io.crosslink.connect.support.SagaEvents.keystoreEntryRemoved;
import static io.crosslink.connect.support.SagaEvents.keystoreUpdated;
import static io.crosslink.connect.support.SagaEvents.verified;
import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.between;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.Fingerprint;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.service.RemoteSettings;
import io.crosslink.connect.service.RequestValidator;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.StandIn;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.Topics;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code DELETE /api/v1/connections/{id}}: disconnect, cancel, and its idempotence, on real PostgreSQL and Kafka. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class DisconnectTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaTestClient kafka;

    @BeforeEach
    void clients() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @Test
    void aVerifiedConnectionIsDisconnectedThroughTheUndoStepsAndFreesItsAlias() {
        String alias = alias("disconnect");
        String id = requested(valid(alias));
        StandIn local = StandIn.of(ElasticStandIn.LOCAL);
        kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "k-" + alias));
        kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));
        awaitStatus(id, "REMOTE_CONNECTED", "register_remote");
        kafka.publish(Topics.VERIFY_EVENTS, verified(id, alias));
        awaitStatus(id, "VERIFIED", "verify");

        Response deleted = given().delete("/api/v1/connections/{id}", id).then().statusCode(202)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("status", equalTo("DISCONNECTING"))
                .body("timeline.find { it.step == 'compensate' }.errorType", equalTo("disconnect"))
                .extract().response();
        assertEquals("/api/v1/connections/" + id, URI.create(deleted.header("Location")).getPath());

        CompensationStarted started = kafka.awaitEvent(id, CompensationStarted.class);
        assertEquals(CompensationCause.DISCONNECT, started.cause());
        assertNull(started.failure());
        assertTrue(kafka.awaitEvent(id, RemoteRemoved.class).removed());
        List<JsonNode> requests = local.requestsFor(alias);
        assertEquals(2, requests.size(), String.valueOf(requests));
        assertEquals(TestRequests.json(RemoteSettings.removalBody(alias)), requests.get(1));
        assertTrue(local.remote(alias).isMissingNode());
        awaitStatus(id, "DISCONNECTING", "remove_remote");

        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, true));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of("k-" + alias)));
        awaitStatus(id, "DISCONNECTED", "invalidate_key");

        // Again: answered as it is, nothing new.
        given().delete("/api/v1/connections/{id}", id).then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/connections/" + id))
                .body("status", equalTo("DISCONNECTED"));
        assertEquals(1, events(id).stream().filter("CompensationStarted"::equals).count(), String.valueOf(events(id)));
        assertNull(pending(id));

        given().contentType(ContentType.JSON).body(valid(alias).toString()).post("/api/v1/connections")
                .then().statusCode(202);
    }

    @Test
    void deletingAConnectionInFlightCancelsItAndIsIdempotent() {
        String alias = alias("cancel");
        String id = requested(valid(alias));

        given().delete("/api/v1/connections/{id}", id).then().statusCode(202)
                .body("status", equalTo("COMPENSATING"))
                .body("timeline.find { it.step == 'compensate' }.errorType", equalTo("cancel"))
                .body("timeline.find { it.step == 'remove_remote' }.event", equalTo("RemoteRemoved"));
        given().delete("/api/v1/connections/{id}", id).then().statusCode(202)
                .body("status", equalTo("COMPENSATING"));

        assertEquals(List.of("ConnectionRequested", "CompensationStarted", "RemoteRemoved"), events(id),
                "one chain, nothing new on the second DELETE");
        assertEquals(CompensationCause.CANCEL, kafka.awaitEvent(id, CompensationStarted.class).cause());
        assertFalse(kafka.awaitEvent(id, RemoteRemoved.class).removed(), "nothing was registered");

        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, false));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of()));
        awaitStatus(id, "COMPENSATED", "invalidate_key");
        given().delete("/api/v1/connections/{id}", id).then().statusCode(202).body("status", equalTo("COMPENSATED"));
    }

    @Test
    void deletingAConnectionStillInItsChecksEndsItCompensatedAtOnce() {
        String alias = alias("early");
        ConnectionRequest request = RequestValidator.validate(valid(alias)).request();
        // Checks pending far in the future: the saga has not started (as while the Cloud API is retried).
        String id = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.requested(request, Fingerprint.of(request), null, null);
            connection.schedule(PendingWork.CHECKS);
            connection.persist();
            return connection.id;
        });

        given().delete("/api/v1/connections/{id}", id).then().statusCode(202)
                .body("status", equalTo("COMPENSATED"))
                .body("timeline.event", org.hamcrest.Matchers.contains("CompensationStarted"))
                .body("timeline[0].errorType", equalTo("cancel"));

        assertNull(pending(id), "the checks are cancelled");
        given().contentType(ContentType.JSON).body(valid(alias).toString()).post("/api/v1/connections")
                .then().statusCode(202);
    }

    @Test
    void endedConnectionsAreAnsweredAsTheyAre() {
        String rejected = given().contentType(ContentType.JSON)
                .body(between(alias("gone"), ElasticStandIn.LOCAL, "ffffffffffffffffffffffffffffffff").toString())
                .post("/api/v1/connections").then().statusCode(202).extract().path("id");
        awaitStatus(rejected, "REJECTED", "validate");

        given().delete("/api/v1/connections/{id}", rejected).then().statusCode(202)
                .body("status", equalTo("REJECTED"))
                .body("timeline.event", org.hamcrest.Matchers.contains("ConnectionRejected"));
    }

    @Test
    void anUnknownConnectionIsNotFound() {
        given().delete("/api/v1/connections/{id}", "no-such-connection").then()
                .statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("type", notNullValue());
    }

    private static Object pending(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Connection.<Connection>findById(id).pending);
    }
}

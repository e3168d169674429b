package io.crosslink.connect.service;

import static io.crosslink.connect.support.Connections.awaitStatus;
import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.Fingerprint;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.support.Connections;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.UndoDeadlinePassed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The saga's deadline, with a short one: a saga left waiting is compensated, checks left running are rejected. */
@QuarkusTest
@TestProfile(SagaDeadlineTest.ShortDeadline.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
class SagaDeadlineTest {
    static final Duration DEADLINE = Duration.ofSeconds(3);
    static final Duration UNDO_DEADLINE = Duration.ofSeconds(6);

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("crosslink.saga.deadline", DEADLINE.toSeconds() + "s",
                    "crosslink.saga.undo-deadline", UNDO_DEADLINE.toSeconds() + "s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aSagaThatIsNotVerifiedByItsDeadlineIsCompensated() {
        String id = given().contentType("application/json").body(valid(alias("deadline")).toString())
                .post("/api/v1/connections").then().statusCode(202).extract().path("id");

        // Nobody answers ConnectionRequested here: the deadline passes.
        awaitStatus(id, "COMPENSATING", "compensate");
        given().get("/api/v1/connections/{id}", id).then()
                .body("timeline.find { it.step == 'compensate' }.errorType", equalTo("deadline"));
        List<String> events = Connections.events(id);
        assertEquals(List.of("ConnectionRequested", "CompensationStarted", "RemoteRemoved"), events);

        KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
        CompensationStarted started = kafka.awaitEvent(id, CompensationStarted.class);
        assertEquals(CompensationCause.DEADLINE, started.cause());
        assertNull(started.failure());
        Instant createdAt = Instant.parse(given().get("/api/v1/connections/{id}", id).path("createdAt"));
        assertFalse(started.occurredAt().isBefore(createdAt.plus(DEADLINE)), "not before the deadline");
        assertFalse(kafka.awaitEvent(id, RemoteRemoved.class).removed());

        // Nobody runs the keystore and key undo either (their services are down here): the undo deadline ends it.
        awaitStatus(id, "FAILED", "undo_deadline");
        UndoDeadlinePassed passed = kafka.awaitEvent(id, UndoDeadlinePassed.class);
        assertEquals(List.of("keystore", "key"), passed.waitingFor());
        assertFalse(passed.occurredAt().isBefore(started.occurredAt().plus(UNDO_DEADLINE)), "not before the undo deadline");
        given().get("/api/v1/connections/{id}", id).then()
                .body("leftovers.resource", equalTo(List.of("keystore_entry", "api_key")))
                .body("leftovers.certainty", equalTo(List.of("possible", "possible")))
                .body("leftovers[0].reason", org.hamcrest.Matchers.startsWith("undo_deadline: no report from keystore, key"));
    }

    @Test
    void checksThatDoNotCompleteByTheDeadlineAreRejected() {
        ConnectionRequest request = RequestValidator.validate(valid(alias("slow-checks"))).request();
        // Checks pending far in the future, as when the Cloud API stays unavailable.
        String id = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.requested(request, Fingerprint.of(request), null, null);
            connection.schedule(PendingWork.CHECKS);
            connection.persist();
            return connection.id;
        });

        awaitStatus(id, "REJECTED", "validate");
        given().get("/api/v1/connections/{id}", id).then()
                .body("reasons[0].field", equalTo("deadline"))
                .body("timeline[0].event", equalTo("ConnectionRejected"));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> Connection.<Connection>findById(id).pending == null));
    }
}

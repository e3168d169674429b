package io.crosslink.connect.service;

import static io.crosslink.connect.support.Connections.awaitStatus;
import static io.crosslink.connect.support.SagaEvents.keyCreated;
import static io.crosslink.connect.support.SagaEvents.keystoreUpdated;
import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.between;
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
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.StandIn;
import io.crosslink.events.Certainty;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.UndoDeadlinePassed;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.Topics;
import io.crosslink.events.UndoChain;
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
@QuarkusTestResource(JwtTestResource.class)
class SagaDeadlineTest {
    static final Duration DEADLINE = Duration.ofSeconds(4);
    static final Duration UNDO_DEADLINE = Duration.ofSeconds(8);
    static final Duration UNDO_REPORT_MARGIN = Duration.ofSeconds(3);

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One removal attempt by count: only the undo chain's deadline lets a removal retry here.
            return Map.of("crosslink.saga.deadline", DEADLINE.toSeconds() + "s",
                    "crosslink.saga.undo-deadline", UNDO_DEADLINE.toSeconds() + "s",
                    "crosslink.saga.undo-report-margin", UNDO_REPORT_MARGIN.toSeconds() + "s",
                    "crosslink.work.removal-attempts", "1",
                    "crosslink.work.backoff", "200ms", "crosslink.work.max-backoff", "400ms");
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
    void aRemovalFailingTransientlyIsRetriedUntilShortlyBeforeTheUndoDeadlineThenReadAndReported() {
        String alias = alias("undo-budget");
        String id = Connections.requested(between(alias, ElasticStandIn.LOCAL_FAULTY, ElasticStandIn.REMOTE));
        StandIn local = StandIn.of(ElasticStandIn.LOCAL_FAULTY);
        KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
        local.fault("{\"status\":503,\"times\":1000,\"on\":\"remove\"}");
        UndoChain chain;
        try {
            kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "k-" + alias));
            kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));
            awaitStatus(id, "REMOTE_CONNECTED", "register_remote");

            // Nobody verifies: the saga deadline compensates, and every removal of the remote answers 503.
            CompensationStarted started = kafka.awaitEvent(id, CompensationStarted.class);
            chain = started.chain();
            assertEquals(started.eventId(), chain.id());
            assertEquals(started.occurredAt().plus(UNDO_DEADLINE), chain.deadline());
            assertEquals(SecurityModel.API_KEY, started.securityModel());

            RemoteRemovalFailed failed = kafka.awaitEvent(id, RemoteRemovalFailed.class);
            assertEquals(chain, failed.chain(), "the answer names its run");
            assertEquals(Certainty.CONFIRMED, failed.certainty(), "L was read after the last failure: still there");
            assertTrue(failed.occurredAt().isBefore(chain.deadline()), "reported before connect-service's deadline");
            assertFalse(failed.occurredAt().isBefore(chain.deadline().minus(UNDO_REPORT_MARGIN).minusSeconds(1)),
                    "retried until the margin, not given up after one attempt: " + failed.occurredAt());
            long removals = local.requestsFor(alias).stream().filter(body -> body.toString().contains("null")).count();
            assertTrue(removals > 4, "more runs than one attempt with its re-sends: " + removals);
        } finally {
            local.clearFaults();
        }
        // The keystore and key links never answer here: the deadline ends the chain, the remote a confirmed leftover.
        awaitStatus(id, "FAILED", "undo_deadline");
        assertEquals(chain, kafka.awaitEvent(id, UndoDeadlinePassed.class).chain());
        given().get("/api/v1/connections/{id}", id).then()
                .body("leftovers.find { it.resource == 'remote_cluster' }.certainty", equalTo("confirmed"));
    }

    @Test
    void aRemovalWhoseAnswersWereLostAfterItTookEffectIsReadAsDoneWhenItsRetriesEnd() {
        String alias = alias("undo-lost");
        String id = Connections.requested(between(alias, ElasticStandIn.LOCAL_FAULTY, ElasticStandIn.REMOTE));
        StandIn local = StandIn.of(ElasticStandIn.LOCAL_FAULTY);
        KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
        // Every removal reaches L and takes effect; only its answer is a 503.
        local.fault("{\"status\":503,\"times\":1000,\"on\":\"remove\",\"applied\":true}");
        try {
            kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "k-" + alias));
            kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));
            awaitStatus(id, "REMOTE_CONNECTED", "register_remote");

            CompensationStarted started = kafka.awaitEvent(id, CompensationStarted.class);
            RemoteRemoved removed = kafka.awaitEvent(id, RemoteRemoved.class);
            assertTrue(removed.removed(), "L read after the last failure shows the alias gone");
            assertEquals(started.chain(), removed.chain());
            assertTrue(local.remote(alias).isMissingNode(), "indeed gone: " + local.clusterSettings());
        } finally {
            local.clearFaults();
        }
        assertFalse(Connections.events(id).contains("RemoteRemovalFailed"), "no failure reported: " + Connections.events(id));
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

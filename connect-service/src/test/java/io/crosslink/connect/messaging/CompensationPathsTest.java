package io.crosslink.connect.messaging;

import static io.crosslink.connect.support.Connections.awaitStatus;
import static io.crosslink.connect.support.Connections.events;
import static io.crosslink.connect.support.Connections.requested;
import static io.crosslink.connect.support.SagaEvents.keyCreated;
import static io.crosslink.connect.support.SagaEvents.keyInvalidated;
import static io.crosslink.connect.support.SagaEvents.keystoreEntryRemoved;
import static io.crosslink.connect.support.SagaEvents.keystoreUpdated;
import static io.crosslink.connect.support.SagaEvents.newId;
import static io.crosslink.connect.support.SagaEvents.verified;
import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.between;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.service.RemoteSettings;
import io.crosslink.connect.support.Connections;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.StandIn;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.events.Certainty;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.RemoteRegistrationFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Topics;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One test per compensation path, on a real broker and database: a failed step starts compensation
 * (CompensationStarted), connect-service removes the remote from L when it registered it or tried to (one
 * request, every setting of the alias null, checked on the Elasticsearch stand-in), and the other services'
 * undo events, published here as they would, end the connection COMPENSATED — or FAILED with what is left.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class CompensationPathsTest {
    private static final StepFailure UNAUTHENTICATED = new StepFailure("security_exception",
            "unable to authenticate user [crosslink] for REST request [/_security/cross_cluster/api_key]", 401, false);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaTestClient kafka;

    @BeforeEach
    void clients() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @Test
    void aKeyCreationFailureIsCompensatedAndALateKeystoreUpdateRegistersNothing() {
        String alias = alias("comp-key");
        String id = requested(valid(alias));

        kafka.publish(Topics.KEY_EVENTS, new KeyCreationFailed(newId(), id, Instant.now(), UNAUTHENTICATED));

        awaitStatus(id, "COMPENSATING", "remove_remote");
        CompensationStarted started = kafka.awaitEvent(id, CompensationStarted.class);
        assertEquals(CompensationCause.FAILURE, started.cause());
        assertEquals(UNAUTHENTICATED, started.failure());
        RemoteRemoved removed = kafka.awaitEvent(id, RemoteRemoved.class);
        assertEquals(alias, removed.alias());
        assertFalse(removed.removed(), "nothing was registered");
        given().get("/api/v1/connections/{id}", id).then()
                .body("timeline.find { it.event == 'KeyCreationFailed' }.errorType", equalTo("security_exception"))
                .body("timeline.find { it.event == 'KeyCreationFailed' }.httpStatus", equalTo(401))
                .body("timeline.find { it.step == 'compensate' }.errorType", equalTo("failure"));

        // trust-service wrote the keystore before it saw the compensation: recorded, but nothing is registered.
        kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, true));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of()));

        awaitStatus(id, "COMPENSATED", "invalidate_key");
        assertEquals(List.of("ConnectionRequested", "KeyCreationFailed", "CompensationStarted", "RemoteRemoved",
                "KeystoreUpdated", "KeystoreEntryRemoved", "KeyInvalidated"), events(id));
        assertNull(pending(id), "the tombstone: no registration scheduled");
        assertTrue(StandIn.of(ElasticStandIn.LOCAL).requestsFor(alias).isEmpty(), "L's settings were never touched");
        aliasIsFreeAgain(alias);
    }

    @Test
    void aKeystoreUpdateFailureIsCompensatedAndARacingKeyIsRecorded() {
        String alias = alias("comp-keystore");
        String id = requested(valid(alias));
        kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "key-1-" + alias));
        awaitStatus(id, "KEY_CREATED", "create_key");

        StepFailure refused = new StepFailure("clusters.cluster_plan_state_error", "There is a plan still pending", 400, false);
        kafka.publish(Topics.TRUST_EVENTS, new KeystoreUpdateFailed(newId(), id, Instant.now(), refused));

        awaitStatus(id, "COMPENSATING", "remove_remote");
        assertEquals(refused, kafka.awaitEvent(id, CompensationStarted.class).failure());
        assertFalse(kafka.awaitEvent(id, RemoteRemoved.class).removed());

        kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "key-2-" + alias));
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, false));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of("key-1-" + alias, "key-2-" + alias)));

        awaitStatus(id, "COMPENSATED", "invalidate_key");
        given().get("/api/v1/connections/{id}", id).then().body("leftovers", nullValue());
        assertEquals(List.of("ConnectionRequested", "KeyCreated", "KeystoreUpdateFailed", "CompensationStarted",
                "RemoteRemoved", "KeyCreated", "KeystoreEntryRemoved", "KeyInvalidated"), events(id));
        assertTrue(StandIn.of(ElasticStandIn.LOCAL).requestsFor(alias).isEmpty());
    }

    @Test
    void aRefusedRemoteRegistrationIsCompensatedByNullingTheAlias() {
        String alias = alias("comp-remote");
        String id = requested(between(alias, ElasticStandIn.LOCAL_REFUSING, ElasticStandIn.REMOTE));
        StandIn local = StandIn.of(ElasticStandIn.LOCAL_REFUSING);

        kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));

        RemoteRegistrationFailed failed = kafka.awaitEvent(id, RemoteRegistrationFailed.class);
        assertEquals("illegal_argument_exception", failed.failure().type());
        assertEquals(400, failed.failure().httpStatus());
        CompensationStarted started = kafka.awaitEvent(id, CompensationStarted.class);
        assertEquals(CompensationCause.FAILURE, started.cause());
        assertEquals(failed.failure(), started.failure());
        assertTrue(kafka.awaitEvent(id, RemoteRemoved.class).removed(), "a registration was attempted: it is undone");
        List<JsonNode> requests = local.requestsFor(alias);
        assertEquals(2, requests.size(), "the refused registration, then the removal: " + requests);
        assertRemoval(alias, requests.get(1));

        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, true));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of("k-" + alias)));

        awaitStatus(id, "COMPENSATED", "invalidate_key");
        assertEquals(List.of("ConnectionRequested", "KeystoreUpdated", "RemoteRegistrationFailed", "CompensationStarted",
                "RemoteRemoved", "KeystoreEntryRemoved", "KeyInvalidated"), events(id));
        given().get("/api/v1/connections/{id}", id).then()
                .body("timeline.find { it.event == 'RemoteRegistrationFailed' }.errorType", equalTo("illegal_argument_exception"));
    }

    @Test
    void aFailedVerificationIsCompensatedAndTheRemoteIsGoneFromL() {
        String alias = alias("comp-verify");
        String id = requested(valid(alias));
        StandIn local = StandIn.of(ElasticStandIn.LOCAL);
        kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "k-" + alias));
        kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));
        awaitStatus(id, "REMOTE_CONNECTED", "register_remote");
        assertEquals("proxy", local.remote(alias).path("mode").asText());

        kafka.publish(Topics.VERIFY_EVENTS, new VerificationFailed(newId(), id, Instant.now(),
                new StepFailure("verification_failed", "no cluster_credentials on the remote", null, false)));

        awaitStatus(id, "COMPENSATING", "remove_remote");
        assertTrue(kafka.awaitEvent(id, RemoteRemoved.class).removed());
        List<JsonNode> requests = local.requestsFor(alias);
        assertEquals(2, requests.size(), "registration, then one removal: " + requests);
        assertRemoval(alias, requests.get(1));
        assertTrue(local.remote(alias).isMissingNode(), "L no longer knows the alias: " + local.clusterSettings());

        // A verification that succeeded late is recorded; the chain goes on.
        kafka.publish(Topics.VERIFY_EVENTS, verified(id, alias));
        Connections.awaitTimeline(id, "ConnectionVerified", 1);
        given().get("/api/v1/connections/{id}", id).then().body("status", equalTo("COMPENSATING"));
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, true));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of("k-" + alias)));

        awaitStatus(id, "COMPENSATED", "invalidate_key");
        assertEquals(List.of("ConnectionRequested", "KeyCreated", "KeystoreUpdated", "RemoteConnected",
                "VerificationFailed", "CompensationStarted", "RemoteRemoved", "ConnectionVerified",
                "KeystoreEntryRemoved", "KeyInvalidated"), events(id));
        aliasIsFreeAgain(alias);
    }

    @Test
    void aFailedKeyInvalidationEndsFailedNamingTheKeyAndDeleteRunsTheChainAgain() {
        String alias = alias("comp-leftover");
        String id = requested(valid(alias));
        String keyId = "key-" + alias;
        kafka.publish(Topics.KEY_EVENTS, keyCreated(id, keyId));
        kafka.publish(Topics.TRUST_EVENTS, new KeystoreUpdateFailed(newId(), id, Instant.now(),
                new StepFailure("http_500", "internal", 500, true)));
        awaitStatus(id, "COMPENSATING", "remove_remote");
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, false));
        kafka.publish(Topics.KEY_EVENTS, new KeyInvalidationFailed(newId(), id, Instant.now(),
                new StepFailure("security_exception", "action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized",
                        403, false)));

        awaitStatus(id, "FAILED", "invalidate_key");
        given().get("/api/v1/connections/{id}", id).then()
                .body("leftovers.size()", equalTo(1))
                .body("leftovers[0].deploymentId", equalTo(ElasticStandIn.REMOTE))
                .body("leftovers[0].resource", equalTo("api_key"))
                .body("leftovers[0].name", equalTo(keyId))
                .body("leftovers[0].reason", org.hamcrest.Matchers.containsString("security_exception"));

        // DELETE of a FAILED connection undoes again.
        given().delete("/api/v1/connections/{id}", id).then().statusCode(202)
                .body("status", equalTo("COMPENSATING"))
                .body("leftovers", nullValue());
        List<CompensationStarted> starts = kafka.awaitEvents(id, CompensationStarted.class, 2);
        assertEquals(CompensationCause.CANCEL, starts.get(1).cause());
        kafka.awaitEvents(id, RemoteRemoved.class, 2);
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, false));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of(keyId)));

        awaitStatus(id, "COMPENSATED", "invalidate_key");
        given().get("/api/v1/connections/{id}", id).then().body("leftovers", nullValue());
    }

    @Test
    void aRefusedRemovalEndsFailedNamingTheRemoteOnL() {
        String alias = alias("comp-stuck");
        String id = registeredOnFaultyLocal(alias);
        StandIn local = StandIn.of(ElasticStandIn.LOCAL_FAULTY);
        local.fault("{\"status\":403,\"times\":1,\"on\":\"remove\"}");
        try {
            kafka.publish(Topics.VERIFY_EVENTS, new VerificationFailed(newId(), id, Instant.now(),
                    new StepFailure("timeout", "no connection within 60s", null, true)));

            RemoteRemovalFailed failed = kafka.awaitEvent(id, RemoteRemovalFailed.class);
            assertEquals(403, failed.failure().httpStatus());
            assertEquals(Certainty.CONFIRMED, failed.certainty(), "L's settings were read after the refusal");
        } finally {
            local.clearFaults();
        }
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, true));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of("k-" + alias)));

        awaitStatus(id, "FAILED", "invalidate_key");
        given().get("/api/v1/connections/{id}", id).then()
                .body("leftovers.size()", equalTo(1))
                .body("leftovers[0].deploymentId", equalTo(ElasticStandIn.LOCAL_FAULTY))
                .body("leftovers[0].resource", equalTo("remote_cluster"))
                .body("leftovers[0].name", equalTo(alias))
                .body("leftovers[0].certainty", equalTo("confirmed"));
        assertEquals("proxy", local.remote(alias).path("mode").asText(), "the remote is indeed still there");
    }

    @Test
    void aRemovalRefusedAfterItTookEffectIsReadAsRemoved() {
        String alias = alias("comp-late");
        String id = registeredOnFaultyLocal(alias);
        StandIn local = StandIn.of(ElasticStandIn.LOCAL_FAULTY);
        local.fault("{\"status\":400,\"times\":1,\"on\":\"remove\",\"applied\":true}");
        try {
            kafka.publish(Topics.VERIFY_EVENTS, new VerificationFailed(newId(), id, Instant.now(),
                    new StepFailure("timeout", "no connection within 60s", null, true)));

            RemoteRemoved removed = kafka.awaitEvent(id, RemoteRemoved.class);
            assertTrue(removed.removed(), "the refusal came after the change: L's settings show the remote gone");
        } finally {
            local.clearFaults();
        }
        assertTrue(local.remote(alias).isMissingNode(), "the remote is indeed gone");
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, true));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of("k-" + alias)));
        awaitStatus(id, "COMPENSATED", "invalidate_key");
    }

    @Test
    void transientRemovalErrorsAreRetriedUntilTheRemoteIsGone() {
        String alias = alias("comp-retry");
        String id = registeredOnFaultyLocal(alias);
        StandIn local = StandIn.of(ElasticStandIn.LOCAL_FAULTY);
        local.fault("{\"status\":503,\"times\":2,\"retryAfterSeconds\":1,\"on\":\"remove\"}");
        try {
            kafka.publish(Topics.VERIFY_EVENTS, new VerificationFailed(newId(), id, Instant.now(),
                    new StepFailure("timeout", "no connection within 60s", null, true)));

            assertTrue(kafka.awaitEvent(id, RemoteRemoved.class).removed());
        } finally {
            local.clearFaults();
        }
        List<JsonNode> requests = local.requestsFor(alias);
        assertEquals(4, requests.size(), "registration, two removals answered 503, the removal that passed: " + requests);
        requests.subList(1, 4).forEach(body -> assertRemoval(alias, body));
        assertTrue(local.remote(alias).isMissingNode());
    }

    @Test
    void aRegistrationInFlightWhenCompensationStartsIsRemovedAfterItCompletes() {
        String alias = alias("comp-race");
        String id = requested(between(alias, ElasticStandIn.LOCAL_FAULTY, ElasticStandIn.REMOTE));
        StandIn local = StandIn.of(ElasticStandIn.LOCAL_FAULTY);
        local.fault("{\"latencyMs\":3000,\"times\":1,\"on\":\"register\"}");
        try {
            kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));
            // The registration reached L (its claim is committed) and is held there.
            org.awaitility.Awaitility.await().atMost(KafkaTestClient.WAIT)
                    .until(() -> local.requestsFor(alias).size() == 1);

            given().delete("/api/v1/connections/{id}", id).then().statusCode(202)
                    .body("status", equalTo("COMPENSATING"))
                    .body("timeline.event", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("RemoteRemoved")));

            assertTrue(kafka.awaitEvent(id, RemoteRemoved.class).removed(), "the registration was in flight");
        } finally {
            local.clearFaults();
        }
        List<JsonNode> requests = local.requestsFor(alias);
        assertEquals(2, requests.size(), "the registration, then the removal: " + requests);
        assertEquals("proxy", requests.get(0).path("persistent").path("cluster").path("remote").path(alias)
                .path("mode").asText());
        assertRemoval(alias, requests.get(1));
        assertTrue(local.remote(alias).isMissingNode(), "nothing left on L: " + local.clusterSettings());
        assertEquals(List.of("ConnectionRequested", "KeystoreUpdated", "CompensationStarted", "RemoteRemoved"),
                events(id), "the registration's outcome was dropped: no RemoteConnected after CompensationStarted");
    }

    /** A connection on the fault-injection deployment, REMOTE_CONNECTED. */
    private String registeredOnFaultyLocal(String alias) {
        String id = requested(between(alias, ElasticStandIn.LOCAL_FAULTY, ElasticStandIn.REMOTE));
        kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "k-" + alias));
        kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));
        awaitStatus(id, "REMOTE_CONNECTED", "register_remote");
        return id;
    }

    /** Exactly the removal of the alias: every setting of it null, nothing else in the request. */
    static void assertRemoval(String alias, JsonNode body) {
        assertEquals(TestRequests.json(RemoteSettings.removalBody(alias)), body);
        JsonNode settings = body.path("persistent").path("cluster").path("remote").path(alias);
        for (String setting : List.of("mode", "proxy_address", "server_name", "skip_unavailable",
                "proxy_socket_connections", "seeds", "node_connections")) {
            assertTrue(settings.has(setting) && settings.get(setting).isNull(), setting + " in " + body);
        }
    }

    private static void aliasIsFreeAgain(String alias) {
        given().contentType(ContentType.JSON).body(valid(alias).toString()).post("/api/v1/connections")
                .then().statusCode(202);
    }

    private static Object pending(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Connection.<Connection>findById(id).pending);
    }
}

package io.crosslink.connect.messaging;

import static io.crosslink.connect.support.Connections.awaitStatus;
import static io.crosslink.connect.support.SagaEvents.keyCreated;
import static io.crosslink.connect.support.SagaEvents.keyInvalidated;
import static io.crosslink.connect.support.SagaEvents.keystoreEntryRemoved;
import static io.crosslink.connect.support.SagaEvents.keystoreUpdated;
import static io.crosslink.connect.support.SagaEvents.verified;
import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.json;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.support.Connections;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.StandIn;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRegistrationFailed;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.RoleChange;
import io.crosslink.events.Topics;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request's local roles on L (issue #6), on real Kafka and PostgreSQL with the Elasticsearch stand-in: created or
 * updated right after the remote is registered (shown in RemoteConnected and the timeline), deleted or restored
 * before it is removed, a failed role write fails the registration step and is compensated, and a failed role undo
 * leaves the role and the remote named as leftovers until the chain runs again.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class LocalRolesTest {
    private static final String PREEXISTING = "{\"cluster\":[\"monitor\"],\"indices\":[{\"names\":[\"local-*\"],"
            + "\"privileges\":[\"read\"]}],\"metadata\":{\"owner\":\"team\"}}";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaTestClient kafka;
    StandIn local;

    @BeforeEach
    void clients() {
        kafka = new KafkaTestClient(bootstrapServers);
        local = StandIn.of(ElasticStandIn.LOCAL);
    }

    @Test
    void rolesAreAppliedAfterTheRegistrationAndUndoneOnDisconnect() {
        String alias = alias("roles");
        String reader = alias + "-reader";
        String shared = alias + "-shared";
        local.putRole(shared, PREEXISTING);
        String id = Connections.requested(withRoles(alias, reader, shared));

        kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "k-" + alias));
        kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));
        awaitStatus(id, "REMOTE_CONNECTED", "register_remote");

        RemoteConnected connected = kafka.awaitEvent(id, RemoteConnected.class);
        assertEquals(List.of(new RoleChange(reader, RoleChange.CREATED), new RoleChange(shared, RoleChange.UPDATED)),
                connected.roles());
        given().get("/api/v1/connections/{id}", id).then()
                .body("request.roles[0].name", equalTo(reader))
                .body("timeline.find { it.step == 'register_remote' }.roles.action", equalTo(List.of("created", "updated")));
        assertEquals(json("""
                {"remote_indices":[{"clusters":["%s"],"names":["demo-index"],"privileges":["read","view_index_metadata"]}],
                 "remote_cluster":[{"clusters":["%s"],"privileges":["monitor_enrich"]}],
                 "metadata":{"managed_by":"crosslink","connection_id":"%s","alias":"%s"}}""".formatted(alias, alias, id, alias)),
                local.storedRole(reader));
        JsonNode updated = local.storedRole(shared);
        assertEquals(json("[\"monitor\"]"), updated.get("cluster"), "the pre-existing grants stay");
        assertEquals(json("{\"owner\":\"team\"}"), updated.get("metadata"));
        assertEquals(alias, updated.path("remote_indices").get(0).path("clusters").get(0).asText());

        kafka.publish(Topics.VERIFY_EVENTS, verified(id, alias));
        awaitStatus(id, "VERIFIED", "verify");
        given().delete("/api/v1/connections/{id}", id).then().statusCode(202);

        RemoteRemoved removed = kafka.awaitEvent(id, RemoteRemoved.class);
        assertTrue(removed.removed());
        assertEquals(List.of(new RoleChange(shared, RoleChange.RESTORED), new RoleChange(reader, RoleChange.DELETED)),
                removed.roles(), "undone latest first");
        assertNull(local.storedRole(reader), "the role the saga created is gone");
        assertEquals(json(PREEXISTING), local.storedRole(shared), "the changed role is as it was");
        assertTrue(local.remote(alias).isMissingNode());
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, true));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of("k-" + alias)));
        awaitStatus(id, "DISCONNECTED", "invalidate_key");
        given().get("/api/v1/connections/{id}", id).then()
                .body("timeline.find { it.step == 'remove_remote' }.roles.name", equalTo(List.of(shared, reader)));
    }

    @Test
    void aRoleElasticsearchRefusesFailsTheRegistrationAndTheCompensationRestoresWhatWasThere() {
        String alias = alias("rolefail");
        String reader = alias + "-reader";
        String shared = alias + "-shared";
        local.putRole(shared, PREEXISTING);
        String id = Connections.requested(withRoles(alias, reader, shared));
        // The reader is written, the shared role's write is refused.
        local.fault("{\"on\":\"role\",\"times\":1,\"latencyMs\":0}");
        local.fault("{\"on\":\"role\",\"status\":400,\"times\":1}");

        kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "k-" + alias));
        kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));

        RemoteRegistrationFailed failed = kafka.awaitEvent(id, RemoteRegistrationFailed.class);
        assertEquals("illegal_argument_exception", failed.failure().type());
        assertTrue(failed.failure().reason().contains("writing role [" + shared + "]"), failed.failure().reason());
        RemoteRemoved removed = kafka.awaitEvent(id, RemoteRemoved.class);
        assertEquals(List.of(new RoleChange(shared, RoleChange.RESTORED), new RoleChange(reader, RoleChange.DELETED)),
                removed.roles());
        assertNull(local.storedRole(reader));
        assertEquals(json(PREEXISTING), local.storedRole(shared));
        assertTrue(local.remote(alias).isMissingNode());
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, true));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of("k-" + alias)));
        awaitStatus(id, "COMPENSATED", "invalidate_key");
    }

    @Test
    void aRoleThatCannotBeUndoneIsALeftoverAndTheNextChainUndoesIt() {
        String alias = alias("roleundo");
        String reader = alias + "-reader";
        String shared = alias + "-shared";
        local.putRole(shared, PREEXISTING);
        String id = Connections.requested(withRoles(alias, reader, shared));
        kafka.publish(Topics.KEY_EVENTS, keyCreated(id, "k-" + alias));
        kafka.publish(Topics.TRUST_EVENTS, keystoreUpdated(id, alias));
        awaitStatus(id, "REMOTE_CONNECTED", "register_remote");
        kafka.publish(Topics.VERIFY_EVENTS, verified(id, alias));
        awaitStatus(id, "VERIFIED", "verify");

        // Restoring the shared role (undone first) is refused: the remote stays, and so does everything after it.
        local.fault("{\"on\":\"role\",\"status\":403,\"times\":1}");
        given().delete("/api/v1/connections/{id}", id).then().statusCode(202);
        RemoteRemovalFailed failed = kafka.awaitEvent(id, RemoteRemovalFailed.class);
        assertTrue(failed.failure().reason().contains("restoring role [" + shared + "]"), failed.failure().reason());
        assertFalse(local.remote(alias).isMissingNode(), "the remote is removed only after its roles");
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, true));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of("k-" + alias)));
        awaitStatus(id, "FAILED", "invalidate_key");
        List<Map<String, Object>> leftovers = given().get("/api/v1/connections/{id}", id).then().extract()
                .path("leftovers");
        assertEquals(List.of("role:" + reader, "role:" + shared, "remote_cluster:" + alias),
                leftovers.stream().map(l -> l.get("resource") + ":" + l.get("name")).toList());
        assertEquals(List.of("possible", "possible", "confirmed"), leftovers.stream().map(l -> l.get("certainty")).toList(),
                "the remote was read after the failure, the roles were not");

        // DELETE of the FAILED connection runs the chain again: this time the roles and the remote go.
        given().delete("/api/v1/connections/{id}", id).then().statusCode(202);
        List<RemoteRemoved> removed = kafka.awaitEvents(id, RemoteRemoved.class, 1);
        assertEquals(List.of(new RoleChange(shared, RoleChange.RESTORED), new RoleChange(reader, RoleChange.DELETED)),
                removed.get(0).roles());
        assertNull(local.storedRole(reader));
        assertEquals(json(PREEXISTING), local.storedRole(shared));
        assertTrue(local.remote(alias).isMissingNode());
        assertEquals(CompensationCause.DISCONNECT, kafka.awaitEvents(id, CompensationStarted.class, 2).get(1).cause(),
                "the interrupted undo was a disconnect");
        kafka.publish(Topics.TRUST_EVENTS, keystoreEntryRemoved(id, alias, false));
        kafka.publish(Topics.KEY_EVENTS, keyInvalidated(id, List.of()));
        awaitStatus(id, "DISCONNECTED", "invalidate_key");
    }

    @Test
    void aRoleWiderThanTheAccessIsRefusedWith400AndTheFieldPath() {
        ObjectNode body = withRoles(alias("wide"), "wide-reader", "wide-shared");
        ((ObjectNode) body.get("roles").get(0).get("indices").get(0)).putArray("names").add("logs-*");
        given().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/connections").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", equalTo(List.of("roles[0].indices[0].names[0]")))
                .body("violations[0].reason", org.hamcrest.Matchers.containsString("not within the connection's access"));
    }

    /** The stand-in's valid request (search demo-*) with two roles on demo-index. */
    private static ObjectNode withRoles(String alias, String reader, String shared) {
        ObjectNode body = valid(alias);
        body.set("roles", json("""
                [{"name":"%s","indices":[{"names":["demo-index"],"privileges":["read","view_index_metadata"]}]},
                 {"name":"%s","indices":[{"names":["demo-index"],"privileges":["read"]}]}]""".formatted(reader, shared)));
        return body;
    }
}

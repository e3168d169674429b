package io.crosslink.e2e;

import static io.crosslink.e2e.support.Faults.fault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.ElasticState;
import io.crosslink.e2e.support.Faults;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.RoleChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Roles with {@code remote_indices} (issue #6): a request's local roles are created or updated on L right after the
 * remote is registered; a user of L holding one can search {@code alias:demo-index} on R and is refused on another
 * remote index the connection's key would allow; the disconnect deletes the role the saga created and restores the
 * pre-existing one it changed, and a compensation after a failed role write leaves no role behind. Roles wider than
 * the access are refused with 400 before anything starts.
 */
@Order(12)
class RolesTest extends ReliabilityScenario {
    private static final String OTHER_INDEX = "demo-other";
    private static final String USER = "e2e-roles-user";
    private static final String PASSWORD = "e2e-roles-password";
    private static final String PREEXISTING_BODY = "{\"cluster\":[\"monitor\"],\"indices\":[{\"names\":[\"local-*\"],"
            + "\"privileges\":[\"read\"]}],\"metadata\":{\"owner\":\"platform-team\"}}";
    private final List<String> rolesToDelete = new ArrayList<>();

    /** An index on R inside the key's access ({@code demo-*}) but outside the role's ({@code demo-index}). */
    @BeforeAll
    void anotherRemoteIndex() {
        Http.Response created = elastic.elasticsearch(E2eStack.REMOTE_ID, "PUT", "/" + OTHER_INDEX + "/_doc/1?refresh=true",
                "{\"deployment\":\"remote\",\"note\":\"outside the role\"}");
        assertTrue(created.status() == 201 || created.status() == 200, created.toString());
    }

    @AfterAll
    void cleanUp() {
        elastic.elasticsearch(E2eStack.LOCAL_ID, "DELETE", "/_security/user/" + USER);
        rolesToDelete.forEach(role -> elastic.elasticsearch(E2eStack.LOCAL_ID, "DELETE", "/_security/role/" + role));
        elastic.elasticsearch(E2eStack.REMOTE_ID, "DELETE", "/" + OTHER_INDEX);
    }

    @Test
    @Order(1)
    void aUserWithTheRoleSearchesTheAllowedRemoteIndexOnlyAndTheDisconnectUndoesTheRoles() {
        String alias = "e2e-roles";
        String reader = "e2e-roles-reader";
        String shared = "e2e-roles-preexisting";
        rolesToDelete.addAll(List.of(reader, shared));
        JsonNode sharedBefore = putRole(shared, PREEXISTING_BODY);
        assertEquals(404, elastic.elasticsearch(E2eStack.LOCAL_ID, "GET", "/_security/role/" + reader).status());
        ElasticState before = ElasticState.capture(elastic);

        ObjectNode request = Requests.demo(alias);
        ArrayNode roles = request.putArray("roles");
        role(roles, reader, "demo-index", "read", "view_index_metadata");
        role(roles, shared, "demo-index", "read");
        long begin = System.nanoTime();
        String id = connect.submit(request.toString());
        JsonNode verified = connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        SagaChecks.printTimings("POST of connection " + id + " with 2 roles", verified, since(begin));

        // The document shows the roles in the request and what the registration step did with them.
        assertEquals(2, verified.path("request").path("roles").size(), verified.toPrettyString());
        JsonNode registered = timelineEntry(verified, "RemoteConnected");
        assertEquals(List.of(reader + ":" + RoleChange.CREATED, shared + ":" + RoleChange.UPDATED), changes(registered),
                registered.toString());
        RemoteConnected connected = events.of(id).stream().filter(RemoteConnected.class::isInstance)
                .map(RemoteConnected.class::cast).findFirst().orElseThrow();
        assertEquals(2, connected.roles().size(), connected.toString());

        // The roles on L: remote_indices scoped to the alias; the pre-existing role keeps what it granted.
        JsonNode created = role(reader);
        assertEquals(1, created.path("remote_indices").size(), created.toPrettyString());
        JsonNode grant = created.path("remote_indices").get(0);
        assertEquals("[\"" + alias + "\"]", grant.path("clusters").toString(), grant.toString());
        assertEquals("[\"demo-index\"]", grant.path("names").toString(), grant.toString());
        assertEquals(Set.of("read", "view_index_metadata"), texts(grant.path("privileges")), grant.toString());
        System.out.println("role " + reader + " on L: " + created);
        JsonNode updated = role(shared);
        assertEquals(sharedBefore.path("cluster"), updated.path("cluster"), updated.toPrettyString());
        assertEquals(sharedBefore.path("indices"), updated.path("indices"), updated.toPrettyString());
        assertEquals(sharedBefore.path("metadata"), updated.path("metadata"), updated.toPrettyString());
        assertEquals(alias, updated.path("remote_indices").get(0).path("clusters").get(0).asText(), updated.toPrettyString());

        // A user of L holding only the new role.
        Http.Response user = elastic.elasticsearch(E2eStack.LOCAL_ID, "POST", "/_security/user/" + USER,
                "{\"password\":\"" + PASSWORD + "\",\"roles\":[\"" + reader + "\"]}");
        assertEquals(200, user.status(), user.toString());
        Http.Response allowed = searchAsUser(alias + ":demo-index");
        assertEquals(200, allowed.status(), allowed.toString());
        assertEquals(5, allowed.json().path("hits").path("total").path("value").asInt(), allowed.body());
        for (JsonNode hit : allowed.json().path("hits").path("hits")) {
            assertEquals(alias + ":demo-index", hit.path("_index").asText(), hit.toString());
        }
        // The key allows demo-other (access demo-*): the superuser finds it, the role's user is refused.
        Http.Response asSuperuser = elastic.elasticsearch(E2eStack.LOCAL_ID, "GET", "/" + alias + ":" + OTHER_INDEX + "/_search");
        assertEquals(200, asSuperuser.status(), asSuperuser.toString());
        assertEquals(1, asSuperuser.json().path("hits").path("total").path("value").asInt(), asSuperuser.body());
        Http.Response refused = searchAsUser(alias + ":" + OTHER_INDEX);
        System.out.println("search of " + alias + ":" + OTHER_INDEX + " as " + USER + ": " + refused);
        assertRefused(refused);

        // Disconnect: the created role is deleted, the changed one restored, before the remote goes.
        Http.Response deleted = connect.delete(id);
        assertEquals(202, deleted.status(), deleted.toString());
        JsonNode disconnected = connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
        List<ConnectionEvent> all = events.of(id);
        SagaChecks.undoRanInReverseOrder(disconnected, "disconnect", all);
        RemoteRemoved removed = SagaChecks.undoEvent(all, RemoteRemoved.class);
        assertTrue(removed.removed(), removed.toString());
        assertEquals(List.of(shared + ":" + RoleChange.RESTORED, reader + ":" + RoleChange.DELETED),
                changes(timelineEntry(disconnected, "RemoteRemoved")), disconnected.toPrettyString());
        assertEquals(404, elastic.elasticsearch(E2eStack.LOCAL_ID, "GET", "/_security/role/" + reader).status(),
                "the created role is gone");
        assertEquals(sharedBefore, role(shared), "the pre-existing role is as it was");
        SagaChecks.nothingLeftOnEitherSide(elastic, id, alias);
        assertEquals(before, ElasticState.capture(elastic), "Elastic after the disconnect");
        Http.Response afterwards = searchAsUser(alias + ":demo-index");
        assertFalse(afterwards.status() == 200 && afterwards.json().path("hits").path("total").path("value").asInt() > 0,
                "the user still finds remote documents: " + afterwards);
    }

    @Test
    @Order(2)
    void aFailedRoleWriteIsCompensatedAndLeavesNoRoleBehind() {
        String alias = "e2e-roles-comp";
        String first = "e2e-roles-comp-reader";
        String second = "e2e-roles-comp-preexisting";
        rolesToDelete.addAll(List.of(first, second));
        JsonNode secondBefore = putRole(second, PREEXISTING_BODY);
        ElasticState before = ElasticState.capture(elastic);
        // The second role's write reaches L (the role changes) and then answers 400: the registration step fails.
        String refused = faults.add(fault().deployment(E2eStack.LOCAL_ID).target("elasticsearch").method("PUT")
                .path("/_security/role/" + second).afterForwarding().times(1)
                .status(400, Faults.elasticError("illegal_argument_exception", "e2e: role write refused", 400)));

        ObjectNode request = Requests.demo(alias);
        ArrayNode roles = request.putArray("roles");
        role(roles, first, "demo-*", "read");
        role(roles, second, "demo-index", "read", "read_cross_cluster");
        String id = connect.submit(request.toString());
        JsonNode compensated = connect.awaitStatus(id, ConnectionStatus.COMPENSATED);

        assertEquals(1, faults.get(refused).path("hits").asInt(), "the role write never reached cloud-sim");
        JsonNode failed = SagaChecks.failedStep(compensated, "RemoteRegistrationFailed", "illegal_argument_exception", 400);
        assertTrue(failed.path("errorReason").asText().contains(second), failed.toString());
        List<ConnectionEvent> all = events.of(id);
        SagaChecks.undoRanInReverseOrder(compensated, "failure", all);
        assertEquals(List.of(second + ":" + RoleChange.RESTORED, first + ":" + RoleChange.DELETED),
                changes(timelineEntry(compensated, "RemoteRemoved")), compensated.toPrettyString());
        assertEquals(404, elastic.elasticsearch(E2eStack.LOCAL_ID, "GET", "/_security/role/" + first).status(),
                "the created role is gone");
        assertEquals(secondBefore, role(second), "the changed role is restored");
        SagaChecks.nothingLeftOnEitherSide(elastic, id, alias);
        assertEquals(before, ElasticState.capture(elastic), "Elastic after the compensation");
    }

    @Test
    @Order(3)
    void aRoleWiderThanTheAccessIsRefusedWith400() {
        ObjectNode request = Requests.demo("e2e-roles-wide");
        ArrayNode roles = request.putArray("roles");
        role(roles, "e2e-roles-wide", "logs-*", "read");
        role(roles, "e2e-roles-admin", "demo-index", "manage");
        Http.Response answer = connect.create(request.toString());
        assertEquals(400, answer.status(), answer.toString());
        assertEquals("application/problem+json", answer.header("Content-Type").orElse("").split(";")[0], answer.toString());
        List<String> fields = new ArrayList<>();
        answer.json().path("violations").forEach(v -> fields.add(v.path("field").asText()));
        assertEquals(List.of("roles[0].indices[0].names[0]", "roles[1].indices[0].privileges[0]"), fields, answer.body());
        assertEquals(404, elastic.elasticsearch(E2eStack.LOCAL_ID, "GET", "/_security/role/e2e-roles-wide").status());
        assertEquals(0, connect.findByAlias("e2e-roles-wide", E2eStack.LOCAL_ID).path("total").asInt(),
                "nothing was stored");
    }

    private Http.Response searchAsUser(String target) {
        return Http.send("GET", stack.deployment(E2eStack.LOCAL_ID).elasticsearchUrl() + "/" + target + "/_search", null,
                "Authorization", Http.basic(USER, PASSWORD));
    }

    /**
     * Refused: a 403 {@code security_exception}, or (skip_unavailable remotes) a 200 without hits whose
     * {@code _clusters} report the remote's security failure.
     */
    private static void assertRefused(Http.Response response) {
        if (response.status() == 200) {
            assertEquals(0, response.json().path("hits").path("total").path("value").asInt(), response.body());
            assertTrue(response.body().contains("security_exception") || response.body().contains("unauthorized"),
                    "no security failure reported: " + response);
        } else {
            assertEquals(403, response.status(), response.toString());
            assertTrue(response.body().contains("security_exception"), response.toString());
        }
    }

    private JsonNode putRole(String name, String body) {
        Http.Response put = elastic.elasticsearch(E2eStack.LOCAL_ID, "PUT", "/_security/role/" + name, body);
        assertEquals(200, put.status(), put.toString());
        return role(name);
    }

    private JsonNode role(String name) {
        Http.Response get = elastic.elasticsearch(E2eStack.LOCAL_ID, "GET", "/_security/role/" + name);
        assertEquals(200, get.status(), get.toString());
        return get.json().path(name);
    }

    private static void role(ArrayNode roles, String name, String index, String... privileges) {
        ObjectNode role = roles.addObject().put("name", name);
        ObjectNode indices = role.putArray("indices").addObject();
        indices.putArray("names").add(index);
        ArrayNode list = indices.putArray("privileges");
        for (String privilege : privileges) {
            list.add(privilege);
        }
    }

    private static JsonNode timelineEntry(JsonNode document, String event) {
        for (JsonNode entry : document.path("timeline")) {
            if (entry.path("event").asText().equals(event)) {
                return entry;
            }
        }
        throw new AssertionError("no " + event + " in " + document.path("timeline").toPrettyString());
    }

    private static List<String> changes(JsonNode entry) {
        List<String> changes = new ArrayList<>();
        entry.path("roles").forEach(role -> changes.add(role.path("name").asText() + ":" + role.path("action").asText()));
        return changes;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new java.util.TreeSet<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}

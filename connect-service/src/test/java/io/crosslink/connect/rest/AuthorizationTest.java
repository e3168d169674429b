package io.crosslink.connect.rest;

import static io.crosslink.connect.support.Connections.awaitStatus;
import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.TestTokens;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

/**
 * Who may do what: the roles (request, read, admin) × the calls (POST, GET, list, DELETE) × the connection's team
 * (own, another). Another team's connection is answered exactly as an absent one; admins act on every team's, and on
 * those of no team. A request on the topic belongs to its token's team as one over REST does. The teams are this
 * class's own (test-policy.yaml lets them request the stand-in's demo deployments), so lists hold only its connections.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class AuthorizationTest {
    private static final String PROBLEM = "application/problem+json";
    static final String TEAM_A = "authz-a";
    static final String TEAM_B = "authz-b";

    static final String A_REQUESTER = TestTokens.token("alice", TEAM_A, Caller.REQUEST);
    static final String A_READER = TestTokens.token("anna", TEAM_A, Caller.READ);
    static final String B_REQUESTER = TestTokens.token("bob", TEAM_B, Caller.REQUEST);
    static final String B_READER = TestTokens.token("bert", TEAM_B, Caller.READ);
    /** An admin of no team. */
    static final String ADMIN = TestTokens.token("root", null, Caller.ADMIN);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void postNeedsRequestOrAdminAndTheConnectionBelongsToTheCallersTeam() {
        String byRequester = post(A_REQUESTER, alias("authz-post"));
        forbidden(as(A_READER).contentType(ContentType.JSON).body(valid(alias("authz-post")).toString())
                .post("/api/v1/connections"), "groups", Caller.REQUEST);
        String byAdmin = post(ADMIN, alias("authz-post"));

        as(A_READER).get("/api/v1/connections/{id}", byRequester).then().statusCode(200)
                .body("team", equalTo(TEAM_A)).body("subject", equalTo("alice"));
        // An admin without a team makes a connection of no team: only admins see it.
        as(ADMIN).get("/api/v1/connections/{id}", byAdmin).then().statusCode(200)
                .body("team", nullValue()).body("subject", equalTo("root"));
        as(A_REQUESTER).get("/api/v1/connections/{id}", byAdmin).then().statusCode(404);
    }

    @Test
    void getNeedsAReadingRoleAndTheOwningTeam() {
        String a = post(A_REQUESTER, alias("authz-get"));
        String b = post(B_REQUESTER, alias("authz-get"));

        // Own team: request, read and admin read it.
        for (String token : List.of(A_REQUESTER, A_READER, ADMIN)) {
            as(token).get("/api/v1/connections/{id}", a).then().statusCode(200).body("id", equalTo(a));
        }
        // Another team's: 404 for request and read, admins read every team's.
        for (String token : List.of(B_REQUESTER, B_READER)) {
            notFound(as(token).get("/api/v1/connections/{id}", a));
        }
        for (String token : List.of(A_REQUESTER, A_READER)) {
            notFound(as(token).get("/api/v1/connections/{id}", b));
        }
        as(ADMIN).get("/api/v1/connections/{id}", b).then().statusCode(200).body("team", equalTo(TEAM_B));
    }

    @Test
    void aTeamListsOnlyItsOwnConnectionsAndAdminsListAndFilterEveryTeam() {
        String a = post(A_REQUESTER, alias("authz-list"));
        String b = post(B_REQUESTER, alias("authz-list"));

        for (String token : List.of(A_REQUESTER, A_READER)) {
            list(token, Map.of()).body("items.id", hasItem(a)).body("items.id", not(hasItem(b)))
                    .body("items.team", everyOne(TEAM_A));
            // Naming another team narrows a team's list to nothing; it never widens it.
            list(token, Map.of("team", TEAM_B)).body("total", equalTo(0)).body("items", hasSize(0));
        }
        list(B_READER, Map.of()).body("items.id", hasItem(b)).body("items.id", not(hasItem(a)));
        list(ADMIN, Map.of("size", "200")).body("items.id", hasItems(a, b));
        list(ADMIN, Map.of("team", TEAM_B)).body("items.id", hasItem(b)).body("items.id", not(hasItem(a)))
                .body("items.team", everyOne(TEAM_B));
        list(ADMIN, Map.of("team", TEAM_A)).body("items.id", hasItem(a)).body("items.id", not(hasItem(b)));
    }

    @Test
    void deleteNeedsRequestOrAdminAndTheOwningTeam() {
        String ownByRequester = post(A_REQUESTER, alias("authz-del"));
        String untouched = post(A_REQUESTER, alias("authz-del"));
        String otherByAdmin = post(B_REQUESTER, alias("authz-del"));
        List.of(ownByRequester, untouched, otherByAdmin).forEach(id -> awaitStatus(id, "REQUESTED", "validate"));

        // Refused: a reader (own team or another: the role is checked first), a requester of another team.
        forbidden(as(A_READER).delete("/api/v1/connections/{id}", untouched), "groups", Caller.REQUEST);
        forbidden(as(B_READER).delete("/api/v1/connections/{id}", untouched), "groups", Caller.REQUEST);
        notFound(as(B_REQUESTER).delete("/api/v1/connections/{id}", untouched));
        notFound(as(A_REQUESTER).delete("/api/v1/connections/{id}", otherByAdmin));
        // Allowed: a requester of the owning team, an admin on any team.
        as(A_REQUESTER).delete("/api/v1/connections/{id}", ownByRequester).then().statusCode(202)
                .body("status", equalTo("COMPENSATING"));
        as(ADMIN).delete("/api/v1/connections/{id}", otherByAdmin).then().statusCode(202)
                .body("status", equalTo("COMPENSATING"));

        // The refused calls changed nothing.
        as(ADMIN).get("/api/v1/connections/{id}", untouched).then().statusCode(200)
                .body("status", equalTo("REQUESTED")).body("timeline.step", contains("validate"));
        as(B_READER).get("/api/v1/connections/{id}", otherByAdmin).then().statusCode(200)
                .body("status", equalTo("COMPENSATING")).body("timeline.step", hasItem("compensate"));
    }

    @Test
    void anotherTeamsConnectionAnswersExactlyAsAnAbsentOne() {
        String a = post(A_REQUESTER, alias("authz-404"));
        String absent = "00000000-0000-0000-0000-000000000000";
        for (String token : List.of(B_REQUESTER, B_READER)) {
            String hidden = notFound(as(token).get("/api/v1/connections/{id}", a)).extract().asString();
            String missing = notFound(as(token).get("/api/v1/connections/{id}", absent)).extract().asString();
            assertEquals(missing.replace(absent, "<id>"), hidden.replace(a, "<id>"));
        }
        String hidden = notFound(as(B_REQUESTER).delete("/api/v1/connections/{id}", a)).extract().asString();
        String missing = notFound(as(B_REQUESTER).delete("/api/v1/connections/{id}", absent)).extract().asString();
        assertEquals(missing.replace(absent, "<id>"), hidden.replace(a, "<id>"));
    }

    @Test
    void aTokenWithoutTheRoleOrTheTeamIsRefusedNamingWhatIsMissing() {
        String a = post(A_REQUESTER, alias("authz-claims"));
        String noRole = TestTokens.token("carl", TEAM_A);
        String otherRoleOnly = TestTokens.token("dave", TEAM_A, "connections:write", "admin");
        String noTeam = TestTokens.token("erin", null, Caller.REQUEST, Caller.READ);
        String twoTeams = TestTokens.sign(TestTokens.claims("fred", null, Caller.REQUEST)
                .claim(Caller.TEAM_CLAIM, List.of(TEAM_A, TEAM_B)));
        String colonTeam = TestTokens.token("gail", TEAM_A + ":x", Caller.REQUEST);

        for (String token : List.of(noRole, otherRoleOnly)) {
            forbidden(as(token).get("/api/v1/connections/{id}", a), "groups", Caller.READ);
            forbidden(as(token).get("/api/v1/connections"), "groups", Caller.READ);
            forbidden(as(token).contentType(ContentType.JSON).body(valid(alias("authz-claims")).toString())
                    .post("/api/v1/connections"), "groups", Caller.REQUEST);
            forbidden(as(token).delete("/api/v1/connections/{id}", a), "groups", Caller.REQUEST);
        }
        for (String token : List.of(noTeam, twoTeams, colonTeam)) {
            forbidden(as(token).get("/api/v1/connections/{id}", a), Caller.TEAM_CLAIM, null);
            forbidden(as(token).get("/api/v1/connections"), Caller.TEAM_CLAIM, null);
            forbidden(as(token).contentType(ContentType.JSON).body(valid(alias("authz-claims")).toString())
                    .post("/api/v1/connections"), Caller.TEAM_CLAIM, null);
            forbidden(as(token).delete("/api/v1/connections/{id}", a), Caller.TEAM_CLAIM, null);
        }
        // A team in a list of one, as some providers' mappers write it, is that team.
        String listOfOne = TestTokens.sign(TestTokens.claims("hana", null, Caller.READ)
                .claim(Caller.TEAM_CLAIM, List.of(TEAM_A)));
        as(listOfOne).get("/api/v1/connections/{id}", a).then().statusCode(200);
    }

    @Test
    void aKafkaRequestBelongsToItsTokensTeamWhoseRequestIdsAreItsOwn() {
        String alias = alias("authz-kafka");
        String requestId = "req-" + alias;
        ObjectNode body = valid(alias);
        body.put("requestId", requestId);
        KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
        kafka.request(requestId, body.toString(), A_REQUESTER);

        ConnectionDocument document = EventCodec.read(kafka.await(Topics.CONNECTION_STATUS,
                r -> r.value().contains("\"requestId\":\"" + requestId + "\"")).value(), ConnectionDocument.class);

        assertEquals(TEAM_A, document.team());
        assertEquals("alice", document.subject());
        as(A_READER).get("/api/v1/connections/{id}", document.id()).then().statusCode(200)
                .body("requestId", equalTo(requestId)).body("team", equalTo(TEAM_A));
        for (String token : List.of(B_REQUESTER, B_READER)) {
            notFound(as(token).get("/api/v1/connections/{id}", document.id()));
            list(token, Map.of("alias", alias)).body("total", equalTo(0));
        }
        notFound(as(B_REQUESTER).delete("/api/v1/connections/{id}", document.id()));
        list(ADMIN, Map.of("alias", alias)).body("items.id", contains(document.id()));

        // Team B publishing the same requestId and body gets no part of A's connection: a request of its own, which
        // A's connection stands in the way of (the alias is taken on the local deployment).
        kafka.request(requestId, body.toString(), B_REQUESTER);
        ConnectionDocument other = EventCodec.read(kafka.await(Topics.CONNECTION_STATUS,
                r -> r.value().contains("\"requestId\":\"" + requestId + "\"")
                        && r.value().contains("\"team\":\"" + TEAM_B + "\"")).value(), ConnectionDocument.class);
        assertNotEquals(document.id(), other.id());
        assertEquals("REJECTED", other.status().name());
        assertEquals("alias", other.reasons().get(0).field());
        assertEquals(1, Connection.count("idempotencyKey", "kafka:" + TEAM_A + ":" + requestId));
        assertEquals(1, Connection.count("idempotencyKey", "kafka:" + TEAM_B + ":" + requestId));
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static String post(String token, String alias) {
        return as(token).contentType(ContentType.JSON).body(valid(alias).toString()).post("/api/v1/connections")
                .then().statusCode(202).extract().path("id");
    }

    private static ValidatableResponse list(String token, Map<String, String> query) {
        return as(token).queryParams(query).get("/api/v1/connections").then().statusCode(200);
    }

    private static ValidatableResponse notFound(Response response) {
        return response.then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("urn:crosslink:problem:not-found"));
    }

    /** 403 problem+json naming the claim (and, for roles, the missing role). */
    private static void forbidden(Response response, String claim, String role) {
        ValidatableResponse answer = response.then().statusCode(403).contentType(PROBLEM)
                .body("status", equalTo(403))
                .body("type", equalTo("urn:crosslink:problem:forbidden"))
                .body("violations.field", contains(claim));
        if (role != null) {
            answer.body("violations[0].reason", containsString(role)).body("detail", containsString(role));
        }
    }

    /** Every element equals {@code value}. */
    private static Matcher<Iterable<? extends String>> everyOne(String value) {
        return everyItem(equalTo(value));
    }
}

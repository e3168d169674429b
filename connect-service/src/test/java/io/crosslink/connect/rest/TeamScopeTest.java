package io.crosslink.connect.rest;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.support.Connections;
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
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What a connection's team changes besides visibility: {@code Idempotency-Key}s are scoped per team, and the owning
 * team and the requester's subject are stored and published in the status document.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class TeamScopeTest {
    private static final String RUN = Long.toHexString(System.nanoTime());
    /** This class's own teams (test-policy.yaml). */
    static final String TEAM_A = "scope-a";
    static final String TEAM_B = "scope-b";
    static final String A = TestTokens.token("alice@example.com", TEAM_A, Caller.REQUEST);
    static final String B = TestTokens.token("bob@example.com", TEAM_B, Caller.REQUEST);
    static final String ADMIN = TestTokens.token("root", null, Caller.ADMIN);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void anIdempotencyKeyIsScopedPerTeam() {
        String key = "shared-key-" + RUN;
        ObjectNode bodyA = valid(alias("scope-a"));
        ObjectNode bodyB = valid(alias("scope-b"));

        String a = post(A, key, bodyA).then().statusCode(202).extract().path("id");
        String b = post(B, key, bodyB).then().statusCode(202).extract().path("id");

        assertNotEquals(a, b, "two teams, one key: two connections");
        // Within a team the key behaves as before: the same body is the same connection, another body a conflict.
        post(A, key, bodyA).then().statusCode(202).body("id", equalTo(a));
        post(B, key, bodyB).then().statusCode(202).body("id", equalTo(b));
        ObjectNode otherA = bodyA.deepCopy();
        otherA.put("skipUnavailable", false);
        post(A, key, otherA).then().statusCode(409).body("violations.field", contains("Idempotency-Key"));
        // Team B sending team A's body under the key gets no part of A's connection: it is a new request, whose alias
        // A's connection holds.
        post(B, key, bodyA).then().statusCode(409).body("violations.field", contains("Idempotency-Key"));
        post(ADMIN, key, bodyA).then().statusCode(409).body("violations.field", contains("alias"));

        assertEquals(1, Connection.count("idempotencyKey", "rest:" + TEAM_A + ":" + key));
        assertEquals(1, Connection.count("idempotencyKey", "rest:" + TEAM_B + ":" + key));
        assertEquals(0, Connection.count("idempotencyKey", "rest::" + key));
        given().header("Authorization", "Bearer " + A).queryParam("alias", bodyA.get("alias").asText())
                .get("/api/v1/connections").then().body("total", equalTo(1));
    }

    @Test
    void theDocumentNamesTheTeamAndTheRequesterEverywhere() {
        String alias = alias("scope-doc");

        String id = post(A, null, valid(alias)).then().statusCode(202)
                .body("team", equalTo(TEAM_A)).body("subject", equalTo("alice@example.com"))
                .extract().path("id");

        Connections.awaitStatus(id, "REQUESTED", "validate");
        given().header("Authorization", "Bearer " + A).get("/api/v1/connections/{id}", id).then().statusCode(200)
                .body("team", equalTo(TEAM_A)).body("subject", equalTo("alice@example.com"));
        // Every document published on connection-status carries them (the first, REQUESTED one, and the later ones).
        List<ConnectionDocument> published = new KafkaTestClient(bootstrapServers)
                .awaitAll(Topics.CONNECTION_STATUS, r -> id.equals(r.key()), 2).stream()
                .map(r -> EventCodec.read(r.value(), ConnectionDocument.class)).toList();
        for (ConnectionDocument document : published) {
            assertEquals(TEAM_A, document.team(), String.valueOf(document));
            assertEquals("alice@example.com", document.subject(), String.valueOf(document));
        }
        Connection stored = Connection.findById(id);
        assertEquals(TEAM_A, stored.team);
        assertEquals("alice@example.com", stored.subject);
    }

    private static Response post(String token, String key, ObjectNode body) {
        var request = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(body.toString());
        return (key == null ? request : request.header("Idempotency-Key", key)).post("/api/v1/connections");
    }
}

package io.crosslink.connect.rest;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.json;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.connect.support.TestTokens;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionStatus;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The access policy at intake (test-policy.yaml): REST refuses with 403 problem+json naming each field and the rule,
 * the topic with a REJECTED connection naming them; a team the policy does not name may do nothing; each team's live
 * connections are counted against its own limit. Team policy-a may connect the stand-in's LOCAL to its REMOTE with
 * demo-* and .demo-* in the API-key model, two live connections at most; policy-one one connection.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class PolicyTest {
    private static final String PROBLEM = "application/problem+json";
    static final String A = TestTokens.token("ada", "policy-a", Caller.REQUEST);
    static final String ONE = TestTokens.token("olga", "policy-one", Caller.REQUEST);
    static final String UNKNOWN = TestTokens.token("zed", "policy-none", Caller.REQUEST, Caller.READ);
    static final String ADMIN_OF_A = TestTokens.token("adam", "policy-a", Caller.ADMIN);
    static final String BREAK_GLASS = TestTokens.token("root", null, Caller.ADMIN);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aRefusedRequestIsAnswered403NamingEachFieldAndRuleAndStoresNothing() {
        String alias = alias("policy-wide");
        ObjectNode body = valid(alias);
        body.set("access", json("{\"search\":[{\"names\":[\"demo-*\",\"*\",\".security\",\"-demo-x\",\"logs-*\"],"
                + "\"allow_restricted_indices\":true}],\"replication\":[{\"names\":[\"demo-*\"]}]}"));

        forbidden(post(A, body))
                .body("detail", equalTo("The access policy does not allow this request."))
                .body("violations.field", contains("access.search[0].allow_restricted_indices",
                        "access.search[0].names[1]", "access.search[0].names[2]", "access.search[0].names[3]",
                        "access.search[0].names[4]", "access.replication"))
                .body("violations[0].reason", endsWith("(teams.policy-a.remotes[0].allow_restricted_indices)"))
                .body("violations[1].reason", containsString("a bare * is allowed only when * itself is listed"))
                .body("violations[1].reason", endsWith("(teams.policy-a.remotes[0].indices)"))
                .body("violations[2].reason", containsString("starting with '.'"))
                .body("violations[3].reason", endsWith("(teams.policy-a.remotes[0].allow_exclusions)"))
                .body("violations[4].reason", equalTo("policy: policy-a may not request \"logs-*\" on this remote: no "
                        + "allowed pattern covers it (allowed: [demo-*, .demo-*]) (teams.policy-a.remotes[0].indices)"))
                .body("violations[5].reason", endsWith("(teams.policy-a.remotes[0].replication)"));
        assertEquals(0, Connection.count("alias", alias));
        // Within the rules, the same team's request is accepted.
        ObjectNode allowed = valid(alias);
        allowed.set("access", json("{\"search\":[{\"names\":[\"demo-1\",\".demo-x*\"]}]}"));
        post(A, allowed).then().statusCode(202).body("team", equalTo("policy-a"));
    }

    @Test
    void deploymentsAndSecurityModelsOutsideTheTeamsAre403() {
        forbidden(post(A, TestRequests.between(alias("policy-local"), ElasticStandIn.LOCAL_FAULTY,
                ElasticStandIn.REMOTE)))
                .body("violations.field", contains("local"))
                .body("violations[0].reason", equalTo("policy: policy-a may not use deployment ece/"
                        + ElasticStandIn.LOCAL_FAULTY + " as local (teams.policy-a.locals)"));
        forbidden(post(A, TestRequests.between(alias("policy-remote"), ElasticStandIn.LOCAL,
                ElasticStandIn.REMOTE_FLAKY)))
                .body("violations.field", contains("remote"))
                .body("violations[0].reason", endsWith("as remote (teams.policy-a.remotes)"));
        forbidden(post(A, TestRequests.certificate(alias("policy-model"))))
                .body("violations.field", contains("securityModel"))
                .body("violations[0].reason", equalTo("policy: policy-a may not use the tls_certificate security "
                        + "model (teams.policy-a.security_models)"));
    }

    @Test
    void aTeamThePolicyDoesNotNameMayRequestNothing() {
        forbidden(post(UNKNOWN, valid(alias("policy-unknown"))))
                .body("violations.field", contains(Caller.TEAM_CLAIM))
                .body("violations[0].reason", equalTo("policy: team policy-none is not in the policy, so it may request "
                        + "nothing (teams)"));
    }

    @Test
    void anAdminNamingATeamIsHeldToItsPolicyAnAdminOfNoTeamIsTheBreakGlass() {
        ObjectNode wide = valid(alias("policy-glass"));
        wide.set("access", json("{\"search\":[{\"names\":[\"*\"]}]}"));

        forbidden(post(ADMIN_OF_A, wide)).body("violations.field", contains("access.search[0].names[0]"));
        post(BREAK_GLASS, wide).then().statusCode(202).body("team", equalTo(null));
    }

    @Test
    void liveConnectionsAreCountedPerTeamOverRestAndTheTopic() {
        KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
        // A REJECTED connection is not live: it does not count.
        String invalidId = "req-" + alias("policy-one-invalid");
        ObjectNode invalid = valid("Not.Valid");
        invalid.put("requestId", invalidId);
        kafka.request(invalidId, invalid.toString(), ONE);
        assertEquals(ConnectionStatus.REJECTED, status(kafka, invalidId).status());

        post(ONE, valid(alias("policy-one-a"))).then().statusCode(202);
        forbidden(post(ONE, valid(alias("policy-one-b"))))
                .body("detail", equalTo("The team has as many live connections as the access policy allows."))
                .body("violations.field", contains(Caller.TEAM_CLAIM))
                .body("violations[0].reason", equalTo("policy: policy-one has 1 live connections, the most it may have "
                        + "is 1 (teams.policy-one.max_live_connections)"));

        String requestId = "req-" + alias("policy-one-c");
        ObjectNode overLimit = valid(alias("policy-one-c"));
        overLimit.put("requestId", requestId);
        kafka.request(requestId, overLimit.toString(), ONE);
        ConnectionDocument refused = status(kafka, requestId);
        assertEquals(ConnectionStatus.REJECTED, refused.status());
        assertEquals("policy-one", refused.team());
        assertEquals(Caller.TEAM_CLAIM, refused.reasons().get(0).field());
        assertTrue(refused.reasons().get(0).reason().endsWith("(teams.policy-one.max_live_connections)"),
                refused.reasons().get(0).reason());
        // Another team's count is its own.
        post(A, valid(alias("policy-a-live"))).then().statusCode(202);
    }

    @Test
    void onTheTopicARefusalIsARejectedConnectionOfTheTeamNamingTheRule() {
        String alias = alias("policy-topic");
        String requestId = "req-" + alias;
        ObjectNode body = valid(alias);
        body.set("access", json("{\"search\":[{\"names\":[\"demo-*\",\"secret-*\"]}]}"));
        body.put("requestId", requestId);
        KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
        kafka.request(requestId, body.toString(), A);

        ConnectionDocument document = status(kafka, requestId);

        assertEquals(ConnectionStatus.REJECTED, document.status());
        assertEquals("policy-a", document.team());
        assertEquals("ada", document.subject());
        assertEquals("access.search[0].names[1]", document.reasons().get(0).field());
        assertEquals("policy: policy-a may not request \"secret-*\" on this remote: no allowed pattern covers it "
                + "(allowed: [demo-*, .demo-*]) (teams.policy-a.remotes[0].indices)", document.reasons().get(0).reason());
        assertEquals(0, Connection.count("liveAlias is not null and alias = ?1", alias));
    }

    private static ConnectionDocument status(KafkaTestClient kafka, String requestId) {
        return EventCodec.read(kafka.await(Topics.CONNECTION_STATUS,
                r -> r.value().contains("\"requestId\":\"" + requestId + "\"")).value(), ConnectionDocument.class);
    }

    private static Response post(String token, ObjectNode body) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body.toString())
                .post("/api/v1/connections");
    }

    private static ValidatableResponse forbidden(Response response) {
        return response.then().statusCode(403).contentType(PROBLEM).body("status", equalTo(403))
                .body("type", equalTo("urn:crosslink:problem:forbidden"));
    }
}

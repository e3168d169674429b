package io.crosslink.connect.rest;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.between;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.Connections;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
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

/** The REST API on real PostgreSQL and Kafka; the Cloud API is {@link ElasticStandIn}. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class ConnectionsRestTest {
    private static final String PROBLEM = "application/problem+json";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aValidRequestIsAcceptedAndStartsTheSagaWithBothDeploymentsFacts() {
        String alias = alias("accept");

        Response response = given().contentType(ContentType.JSON).body(valid(alias).toString())
                .when().post("/api/v1/connections")
                .then().statusCode(202)
                .contentType(ContentType.JSON)
                .body("status", equalTo("REQUESTED"))
                .body("request.alias", equalTo(alias))
                .body("request.securityModel", equalTo("api_key"))
                .body("request.skipUnavailable", equalTo(true))
                .body("request.access.search[0].names", contains("demo-*"))
                .body("timeline", hasSize(0))
                .body("createdAt", notNullValue())
                .extract().response();
        String id = response.path("id");
        assertEquals("/api/v1/connections/" + id, java.net.URI.create(response.header("Location")).getPath());

        awaitStatus(id, "REQUESTED", "validate");
        given().get("/api/v1/connections/{id}", id).then().statusCode(200)
                .body("timeline[0].outcome", equalTo("ok"))
                .body("timeline[0].event", equalTo("ConnectionRequested"));

        var record = new KafkaTestClient(bootstrapServers).await(Topics.CONNECT_EVENTS, r -> id.equals(r.key()));
        assertEquals("crosslink.ConnectionRequested", KafkaTestClient.header(record, "ce_type").orElseThrow());
        assertEquals("crosslink/connect-service", KafkaTestClient.header(record, "ce_source").orElseThrow());
        ConnectionRequested requested = (ConnectionRequested) EventCodec.decode("crosslink.ConnectionRequested", record.value());
        assertEquals(alias, requested.request().alias());
        assertEquals(ElasticStandIn.REMOTE_ENDPOINT, requested.remote().endpoint());
        assertEquals(ElasticStandIn.REMOTE_CLUSTER_ID, requested.remote().clusterId());
        assertEquals("8.19.21", requested.remote().version());
        assertEquals("main-elasticsearch", requested.remote().refId());
        assertEquals("ess", requested.remote().environment());
        assertEquals(ElasticStandIn.LOCAL, requested.local().deploymentId());
        assertEquals("127.0.20.1", requested.local().endpoint());
    }

    @Test
    void invalidBodiesAreAnsweredWithProblemsNamingEachFieldAndNothingIsStored() {
        String alias = alias("invalid");
        ObjectNode badAccess = valid(alias);
        badAccess.set("access", io.crosslink.connect.support.TestRequests.json(
                "{\"search\":[{\"names\":[\"a\"],\"query\":{\"match_all\":{}}}],\"replication\":[{\"names\":[]}]}"));
        ObjectNode badDeployment = valid(alias);
        ((ObjectNode) badDeployment.get("local")).remove("environment");
        badDeployment.put("securityModel", "tls_certificate");
        badDeployment.put("extra", 1);
        long before = Connection.count();

        problem(badAccess.toString(), 400)
                .body("violations.field", containsInAnyOrder("access.search[0].query", "access.replication[0].names"));
        problem(badDeployment.toString(), 400)
                .body("violations.field", containsInAnyOrder("extra", "access", "local.environment"))
                .body("violations.find { it.field == 'access' }.reason", containsString("R's own roles decide"));
        problem(valid("Upper.Case").toString(), 400)
                .body("violations.field", contains("alias"));
        problem("{\"alias\": ", 400)
                .body("violations.field", contains("body"))
                .body("violations[0].reason", containsString("not valid JSON"));
        problem("[]", 400).body("violations.field", contains("body"));
        given().contentType(ContentType.TEXT).body(valid(alias).toString()).post("/api/v1/connections")
                .then().statusCode(415).contentType(PROBLEM).body("status", equalTo(415));

        given().queryParam("alias", alias).get("/api/v1/connections").then().statusCode(200).body("total", equalTo(0));
        assertEquals(before, Connection.count(), "nothing stored");
    }

    @Test
    void anOversizedBodyIsRefusedWith413AndNothingIsStored() {
        String alias = alias("huge");
        ObjectNode huge = valid(alias);
        ((ObjectNode) huge.get("access").get("search").get(0)).putArray("names").add("x".repeat(70 * 1024));
        ObjectNode justBelow = valid(alias);
        ((ObjectNode) justBelow.get("access").get("search").get(0)).putArray("names").add("x".repeat(60 * 1024));
        long before = Connection.count();

        problem(huge.toString(), 413)
                .body("violations.field", contains("body"))
                .body("violations[0].reason", containsString("at most 65536 bytes"));
        // Above the HTTP layer's backstop the request is refused before it is read, as problem+json all the same.
        given().contentType(ContentType.JSON).body("{\"alias\":\"" + "y".repeat(2 * 1024 * 1024) + "\"}")
                .post("/api/v1/connections").then().statusCode(413).contentType(PROBLEM)
                .body("type", equalTo("urn:crosslink:problem:request-too-large"))
                .body("violations.field", contains("body"))
                .body("violations[0].reason", containsString("at most 1048576 bytes"));
        given().queryParam("alias", alias).get("/api/v1/connections").then().statusCode(200).body("total", equalTo(0));
        assertEquals(before, Connection.count(), "nothing stored");
        // Below the limit the body is read and validated: the name is what is wrong with it.
        problem(justBelow.toString(), 400).body("violations.field", contains("access.search[0].names[0]"))
                .body("violations[0].reason", containsString("at most 255 bytes"));
    }

    @Test
    void theSameIdempotencyKeyAndBodyReturnTheSameConnection() {
        String alias = alias("idem");
        String key = "key-" + alias;

        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(valid(alias).toString())
                .post("/api/v1/connections").then().statusCode(202).extract().path("id");
        // Same body, other key order and the default spelled out: still the same request.
        ObjectNode again = valid(alias);
        again.put("skipUnavailable", true);
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(again.toString())
                .post("/api/v1/connections").then().statusCode(202)
                .header("Location", containsString("/api/v1/connections/" + first))
                .body("id", equalTo(first));

        given().queryParam("alias", alias).get("/api/v1/connections").then().body("total", equalTo(1));

        ObjectNode other = valid(alias);
        other.put("skipUnavailable", false);
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(other.toString())
                .post("/api/v1/connections").then().statusCode(409).contentType(PROBLEM)
                .body("status", equalTo(409))
                .body("violations.field", contains("Idempotency-Key"));
        given().queryParam("alias", alias).get("/api/v1/connections").then().body("total", equalTo(1));
    }

    @Test
    void anAliasIsUniquePerLocalDeploymentAmongLiveConnections() {
        String alias = alias("taken");
        given().contentType(ContentType.JSON).body(valid(alias).toString()).post("/api/v1/connections")
                .then().statusCode(202);

        problem(valid(alias).toString(), 409)
                .body("type", containsString("alias-in-use"))
                .body("violations.field", contains("alias"));

        // Another local deployment may use it; a rejected connection frees it.
        String unknownLocal = "0000000000000000000000000000aaaa";
        String rejected = given().contentType(ContentType.JSON).body(between(alias, unknownLocal, ElasticStandIn.REMOTE).toString())
                .post("/api/v1/connections").then().statusCode(202).extract().path("id");
        awaitStatus(rejected, "REJECTED", "validate");
        given().contentType(ContentType.JSON).body(between(alias, unknownLocal, ElasticStandIn.REMOTE).toString())
                .post("/api/v1/connections").then().statusCode(202);
    }

    @Test
    void checksAgainstTheCloudApiRejectWithTheirReasons() {
        String missing = post(between(alias("missing"), ElasticStandIn.LOCAL, "ffffffffffffffffffffffffffffffff"));
        ObjectNode unknownEnvironment = valid(alias("env"));
        ((ObjectNode) unknownEnvironment.get("local")).put("environment", "nowhere");
        String noEnvironment = post(unknownEnvironment);
        String tooOld = post(between(alias("old"), ElasticStandIn.LOCAL_OLD, ElasticStandIn.REMOTE));

        awaitStatus(missing, "REJECTED", "validate");
        given().get("/api/v1/connections/{id}", missing).then()
                .body("reasons.field", contains("remote.deploymentId"))
                .body("reasons[0].reason", containsString("deployment not found"))
                .body("timeline[0].event", equalTo("ConnectionRejected"))
                .body("timeline[0].outcome", equalTo("failed"));
        awaitStatus(noEnvironment, "REJECTED", "validate");
        given().get("/api/v1/connections/{id}", noEnvironment).then()
                .body("reasons.field", hasItem("local.environment"));
        awaitStatus(tooOld, "REJECTED", "validate");
        given().get("/api/v1/connections/{id}", tooOld).then()
                .body("reasons.find { it.field == 'local.deploymentId' }.reason", containsString("8.13.4 is too old"));
    }

    @Test
    void transientCloudErrorsKeepTheChecksPendingUntilTheyPass() {
        String id = post(between(alias("flaky"), ElasticStandIn.LOCAL, ElasticStandIn.REMOTE_FLAKY));

        awaitStatus(id, "REQUESTED", "validate");
        given().get("/api/v1/connections/{id}", id).then()
                .body("timeline[0].event", equalTo("ConnectionRequested"))
                .body("reasons", nullValue());
    }

    @Test
    void listFiltersAndPages() {
        String local = "11" + Long.toHexString(System.nanoTime());
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(post(between(alias("list" + i), local, ElasticStandIn.REMOTE)));
        }
        ids.forEach(id -> awaitStatus(id, "REJECTED", "validate"));

        given().queryParam("localDeploymentId", local).queryParam("size", 2).get("/api/v1/connections")
                .then().statusCode(200)
                .body("total", equalTo(3)).body("page", equalTo(0)).body("size", equalTo(2))
                .body("items.id", contains(ids.get(2), ids.get(1)));
        given().queryParam("localDeploymentId", local).queryParam("size", 2).queryParam("page", 1).get("/api/v1/connections")
                .then().body("items.id", contains(ids.get(0)));
        given().queryParam("localDeploymentId", local).queryParam("status", "REJECTED").get("/api/v1/connections")
                .then().body("total", equalTo(3)).body("size", equalTo(50));
        given().queryParam("localDeploymentId", local).queryParam("status", "VERIFIED").get("/api/v1/connections")
                .then().body("total", equalTo(0)).body("items", hasSize(0));
        String alias = given().get("/api/v1/connections/{id}", ids.get(1)).path("request.alias");
        given().queryParam("alias", alias).get("/api/v1/connections")
                .then().body("items.id", contains(ids.get(1)));
        given().get("/api/v1/connections").then().body("items.id", not(hasSize(0)));
    }

    @Test
    void badListParametersAreProblems() {
        given().queryParam("status", "DONE").queryParam("page", -1).queryParam("size", 1000).get("/api/v1/connections")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations.field", containsInAnyOrder("status", "page", "size"));
        given().queryParam("size", "ten").get("/api/v1/connections")
                .then().statusCode(400).body("violations.field", contains("size"));
    }

    @Test
    void anUnknownConnectionIsNotFound() {
        given().get("/api/v1/connections/{id}", "no-such-connection").then()
                .statusCode(404).contentType(PROBLEM)
                .body("status", equalTo(404))
                .body("title", equalTo("Not found"))
                .body("type", notNullValue());
    }

    private static String post(ObjectNode body) {
        return given().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/connections")
                .then().statusCode(202).extract().path("id");
    }

    private static io.restassured.response.ValidatableResponse problem(String body, int status) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/connections")
                .then().statusCode(status).contentType(PROBLEM)
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body("$", not(org.hamcrest.Matchers.hasKey("trace")));
    }

    private static void awaitStatus(String id, String status, String step) {
        Connections.awaitStatus(id, status, step);
    }
}

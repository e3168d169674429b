package io.crosslink.connect.messaging;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connection-requests topic on a real broker and database. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class KafkaIntakeTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaTestClient kafka;

    @BeforeEach
    void clients() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    /** Each carries a valid token, which the dead-letter topic must not get: the consumer takes it off first. */
    @Test
    void recordsThatAreNoRequestGoToTheDeadLetterTopicWithTheReasonAndWithoutTheirToken() {
        String marker = alias("dlq");
        String notJson = "{not json " + marker;
        String array = "[\"" + marker + "\"]";
        String noRequestId = "{\"alias\":\"" + marker + "\"}";
        kafka.request(marker, notJson);
        kafka.request(marker, array);
        kafka.request(marker, noRequestId);

        List<ConsumerRecord<String, String>> dead = kafka.awaitAll(Topics.deadLetter(Topics.CONNECTION_REQUESTS),
                r -> marker.equals(r.key()), 3);

        assertEquals(List.of(notJson, array, noRequestId), dead.stream().map(ConsumerRecord::value).toList());
        assertTrue(reason(dead.get(0)).contains("not JSON"), reason(dead.get(0)));
        assertTrue(reason(dead.get(1)).contains("not a JSON object"), reason(dead.get(1)));
        assertTrue(reason(dead.get(2)).contains("requestId"), reason(dead.get(2)));
        for (ConsumerRecord<String, String> record : dead) {
            assertTrue(KafkaTestClient.header(record, "authorization").isEmpty(), "authorization header on the DLQ");
            for (var header : record.headers()) {
                assertFalse(new String(header.value(), StandardCharsets.UTF_8).contains(TestTokens.admin()),
                        "the token in DLQ header " + header.key());
            }
        }
        given().queryParam("alias", marker).get("/api/v1/connections").then().body("total", equalTo(0));
    }

    @Test
    void anInvalidRequestBecomesARejectedConnectionOnTheStatusTopic() {
        String requestId = "req-" + alias("invalid");
        ObjectNode body = valid("Not.Valid");
        body.put("requestId", requestId);
        kafka.request(requestId, body.toString());

        ConnectionDocument document = EventCodec.read(kafka.await(Topics.CONNECTION_STATUS,
                r -> r.value().contains("\"requestId\":\"" + requestId + "\"")).value(), ConnectionDocument.class);

        assertEquals(ConnectionStatus.REJECTED, document.status());
        assertEquals(requestId, document.requestId());
        assertEquals("alias", document.reasons().get(0).field());
        assertEquals("Not.Valid", document.request().alias());
        assertEquals("ConnectionRejected", document.timeline().get(0).event());
        given().get("/api/v1/connections/{id}", document.id()).then().statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("requestId", equalTo(requestId));
        ConsumerRecord<String, String> rejected = kafka.await(Topics.CONNECT_EVENTS, r -> document.id().equals(r.key()));
        assertEquals("crosslink.ConnectionRejected", KafkaTestClient.header(rejected, "ce_type").orElseThrow());
    }

    @Test
    void rejectedDocumentsOfPartlyReadableRequestsConformToThePublishedStatusSchema() throws Exception {
        Schema schema;
        try (InputStream in = EventCodec.class.getResourceAsStream("/schemas/crosslink.ConnectionStatus.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String marker = alias("partial");
        List<String> bodies = List.of(
                "{\"securityModel\":\"api_key\",\"local\":{\"environment\":\"ece\"},\"remote\":{\"deploymentId\":\"x\"}}",
                "{\"alias\":42,\"securityModel\":\"password\",\"local\":\"ece\",\"access\":{\"search\":\"x\"},"
                        + "\"roles\":[1,2],\"skipUnavailable\":\"yes\",\"trust\":{\"all\":\"no\"}}",
                "{\"alias\":\"\u00e9t\u00e9\",\"access\":{\"search\":[{\"names\":[{\"a\":{\"b\":[[[]]]}}]}]},"
                        + "\"local\":{\"environment\":[],\"deploymentId\":{}}}");
        for (int i = 0; i < bodies.size(); i++) {
            String requestId = "req-" + marker + "-" + i;
            ObjectNode body = (ObjectNode) EventCodec.mapper().readTree(bodies.get(i));
            body.put("requestId", requestId);
            kafka.request(requestId, body.toString());

            String document = kafka.await(Topics.CONNECTION_STATUS,
                    r -> r.value().contains("\"requestId\":\"" + requestId + "\"")).value();

            assertEquals(ConnectionStatus.REJECTED, EventCodec.read(document, ConnectionDocument.class).status());
            assertEquals(List.of(), schema.validate(EventCodec.mapper().readTree(document)).stream()
                    .map(Error::toString).toList(), document);
        }
    }

    @Test
    void aRoleWiderThanTheAccessBecomesARejectedConnection() {
        String requestId = "req-" + alias("wide-role");
        ObjectNode body = valid(alias("wide-role"));
        body.put("requestId", requestId);
        body.set("roles", io.crosslink.connect.support.TestRequests.json(
                "[{\"name\":\"r\",\"indices\":[{\"names\":[\"demo-index\"],\"privileges\":[\"write\"]}]}]"));
        kafka.request(requestId, body.toString());

        ConnectionDocument document = EventCodec.read(kafka.await(Topics.CONNECTION_STATUS,
                r -> r.value().contains("\"requestId\":\"" + requestId + "\"")).value(), ConnectionDocument.class);

        assertEquals(ConnectionStatus.REJECTED, document.status());
        assertEquals("roles[0].indices[0].privileges[0]", document.reasons().get(0).field());
        assertEquals("r", document.request().roles().get(0).name(), "the request as read is kept");
    }

    @Test
    void aRequestIdIsAnIdempotencyKey() {
        String alias = alias("topic");
        String requestId = "req-" + alias;
        ObjectNode body = valid(alias);
        body.put("requestId", requestId);
        ObjectNode otherBody = body.deepCopy();
        otherBody.put("skipUnavailable", false);
        String marker = alias("marker");
        ObjectNode markerBody = valid(marker);
        markerBody.put("requestId", "req-" + marker);
        // One record key: one partition, so they are taken in this order.
        String key = "publisher-" + alias;
        kafka.request(key, body.toString());
        kafka.request(key, body.toString());
        kafka.request(key, otherBody.toString());
        kafka.request(key, otherBody.toString());
        kafka.request(key, markerBody.toString());

        kafka.await(Topics.CONNECTION_STATUS, r -> r.value().contains("\"requestId\":\"req-" + marker + "\""));

        String accepted = given().queryParam("alias", alias).queryParam("status", "REQUESTED").get("/api/v1/connections")
                .then().body("total", equalTo(1))
                .body("items[0].requestId", equalTo(requestId))
                .body("items[0].request.skipUnavailable", equalTo(true))
                .extract().path("items[0].id");
        String conflicting = given().queryParam("alias", alias).queryParam("status", "REJECTED").get("/api/v1/connections")
                .then().body("total", equalTo(1))
                .body("items[0].reasons.field", contains("requestId"))
                .body("items[0].reasons[0].reason", containsString(accepted))
                .extract().path("items[0].id");
        assertNotEquals(accepted, conflicting);
        given().queryParam("alias", alias).get("/api/v1/connections").then().body("total", equalTo(2));
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return KafkaTestClient.header(record, "dead-letter-reason").orElse("");
    }
}

package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Elastic;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.KafkaTopics;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.Topics;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario c: what is not acceptable is refused the way the contract says. Field-level problems of a REST body
 * are a 400 problem+json naming the field, with nothing stored; the same problems in a Kafka request make a
 * REJECTED connection; checks that need Elastic (an unknown deployment) reject after acceptance and change
 * nothing on Elastic; a record that is not a request at all goes to the dead-letter topic.
 */
@Order(4)
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvalidRequestTest {
    private static final String UNKNOWN_DEPLOYMENT = "ffffffffffffffffffffffffffffffff";

    private KafkaTopics kafka;
    private ConnectService connect;
    private Elastic elastic;
    /** Published requests carry the admin's token (no team: no policy applies), as REST calls here do. */
    private String token;

    @BeforeAll
    void connectTo(E2eStack stack) {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        kafka = new KafkaTopics(stack.kafkaBootstrapServers());
        connect = new ConnectService(stack.connectUrl());
        elastic = new Elastic(stack);
        token = stack.tokens().token("platform-admin");
    }

    static Stream<Arguments> invalidBodies() {
        AtomicInteger n = new AtomicInteger();
        return Stream.of(
                invalid(n, "alias with capitals and a space", "alias", r -> r.put("alias", "Not Valid")),
                invalid(n, "alias missing", "alias", r -> r.remove("alias")),
                invalid(n, "securityModel missing", "securityModel", r -> r.remove("securityModel")),
                invalid(n, "remote missing", "remote", r -> r.remove("remote")),
                invalid(n, "local deploymentId missing", "local", r -> ((ObjectNode) r.path("local")).remove("deploymentId")),
                invalid(n, "access with neither search nor replication", "access", r -> r.putObject("access")),
                invalid(n, "a search grant without index names", "access",
                        r -> ((ObjectNode) r.path("access").path("search").get(0)).putArray("names")),
                invalid(n, "document level security on search while replication is granted too", "access", r -> {
                    ((ObjectNode) r.path("access").path("search").get(0)).putObject("query").putObject("match_all");
                    ((ObjectNode) r.path("access")).putArray("replication").addObject().putArray("names").add("demo-*");
                }));
    }

    private static Arguments invalid(AtomicInteger n, String what, String field, Consumer<ObjectNode> breakIt) {
        ObjectNode body = Requests.demo("e2e-invalid-" + n.incrementAndGet());
        breakIt.accept(body);
        return Arguments.of(what, field, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void anInvalidBodyIsA400NamingTheFieldAndStoresNothing(String what, String field, ObjectNode body) {
        Http.Response response = connect.create(body.toString());

        assertEquals(400, response.status(), what + ": " + response);
        assertTrue(response.header("Content-Type").orElse("").startsWith("application/problem+json"),
                what + ": " + response.headers().map());
        JsonNode violations = response.json().path("violations");
        assertFalse(violations.isEmpty(), what + ": " + response);
        assertTrue(names(violations, field), what + ": no violation names " + field + ": " + response.body());
        for (JsonNode violation : violations) {
            assertFalse(violation.path("reason").asText().isBlank(), "a violation says why: " + violation);
        }
        String alias = body.path("alias").asText();
        if (alias.startsWith("e2e-invalid-")) {
            assertEquals(0, connect.findByAlias(alias, E2eStack.LOCAL_ID).path("total").asInt(),
                    what + ": an invalid request was stored");
        }
    }

    @Test
    void aBodyThatIsNotJsonIsA400() {
        Http.Response response = connect.create("{\"alias\": \"e2e-broken\", ");
        assertEquals(400, response.status(), response.toString());
    }

    @Test
    void anUnknownDeploymentIsAcceptedThenRejectedAndNothingChangesOnElastic() {
        String alias = "e2e-unknown-local";
        ObjectNode body = Requests.demo(alias);
        ((ObjectNode) body.path("local")).put("deploymentId", UNKNOWN_DEPLOYMENT);

        Http.Response accepted = connect.create(body.toString());
        assertEquals(202, accepted.status(), accepted.toString());
        String id = accepted.json().path("id").asText();
        JsonNode rejected = connect.awaitStatus(id, ConnectionStatus.REJECTED);

        JsonNode reasons = rejected.path("reasons");
        assertFalse(reasons.isEmpty(), "a rejection names its reasons: " + rejected.toPrettyString());
        assertTrue(names(reasons, "local"), "no reason names the local deployment: " + reasons);
        assertEquals(0, elastic.activeApiKeys(E2eStack.REMOTE_ID, "crosslink-" + id).size(), "a key was created for " + id);
        assertFalse(elastic.keystore(E2eStack.LOCAL_ID).path("secrets").has(ConnectionRequest.credentialsSetting(alias)),
                "the keystore was changed for a rejected connection");
    }

    @Test
    void aPublishedRequestThatFailsValidationIsRejected() {
        String alias = "e2e-kafka-invalid";
        String requestId = "e2e-kafka-invalid-" + UUID.randomUUID();
        ObjectNode record = Requests.submitted(requestId, alias);
        record.putObject("access").putArray("search");
        kafka.publishAll(List.of(Requests.authorized(requestId, record.toString(), token)));

        JsonNode found = connect.awaitOneByAlias(alias, E2eStack.LOCAL_ID);
        JsonNode rejected = connect.awaitStatus(found.path("id").asText(), ConnectionStatus.REJECTED);
        assertEquals(requestId, rejected.path("requestId").asText(), rejected.toString());
        assertTrue(names(rejected.path("reasons"), "access"), "no reason names the access: " + rejected.toPrettyString());
    }

    @Test
    void aRecordThatIsNotARequestGoesToTheDeadLetterTopicWithoutItsToken() {
        String key = "e2e-malformed-" + UUID.randomUUID();
        String value = "{\"requestId\": \"" + key + "\", \"alias\": ";
        kafka.publishAll(List.of(Requests.authorized(key, value, token)));

        String deadLetters = Topics.deadLetter(Topics.CONNECTION_REQUESTS);
        ConsumerRecord<String, String> dead = Poll.until("the malformed record on " + deadLetters,
                () -> kafka.readAll(deadLetters).stream().filter(r -> key.equals(r.key())).findFirst(),
                () -> kafka.topics().toString());
        assertEquals(value, dead.value());
        assertNull(dead.headers().lastHeader("authorization"), "the bearer token went to " + deadLetters);
    }

    /** Whether some entry's {@code field} is {@code field} or lies inside it ({@code access.search[0].names}). */
    private static boolean names(JsonNode violations, String field) {
        for (JsonNode violation : violations) {
            String name = violation.path("field").asText();
            if (name.equals(field) || name.startsWith(field + ".") || name.startsWith(field + "[")) {
                return true;
            }
        }
        return false;
    }
}

package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.deploy.LocalTokens;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.KafkaTopics;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.events.ConnectionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #14's authorization matrix on the real stack: every kind of caller × every endpoint, on a connection of
 * team-a, over REST and over the {@code connection-requests} topic. Callers: no token, an expired one, one signed by
 * another issuer's key, team-a without roles, team-a read-only, team-a and team-b requesters, and the admin. Requests
 * that pass authorization name team-a's alias again, so they end at the alias check (409, or REJECTED naming
 * {@code alias}) and start no saga; the ones that do not pass end at 401/403/404, or REJECTED naming the token.
 */
@Order(24)
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationMatrixTest {
    private static final String ALIAS = "e2e-authz";

    private ConnectService connect;
    private KafkaTopics kafka;
    /** The callers, by name; null: no token at all. */
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private String id;

    @BeforeAll
    void callersAndTeamAsConnection(E2eStack stack) throws Exception {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        connect = new ConnectService(stack.connectUrl());
        kafka = new KafkaTopics(stack.kafkaBootstrapServers());
        LocalTokens issuer = stack.tokens();
        Instant tomorrow = Instant.now().plus(Duration.ofDays(1));
        tokens.put("none", null);
        tokens.put("expired", issuer.mint(new LocalTokens.Caller("alice@team-a.example", "team-a",
                Set.of("connections:request")), Instant.now().minus(Duration.ofMinutes(10))));
        Path elsewhere = Files.createTempDirectory("other-issuer");
        tokens.put("foreign key", LocalTokens.issue(elsewhere, Duration.ofHours(1)).token("team-a"));
        tokens.put("team-a, no role", issuer.mint(new LocalTokens.Caller("nobody@team-a.example", "team-a", Set.of()),
                tomorrow));
        tokens.put("team-a reader", issuer.mint(new LocalTokens.Caller("reader@team-a.example", "team-a",
                Set.of("connections:read")), tomorrow));
        tokens.put("team-b requester", issuer.token("team-b"));
        tokens.put("team-a requester", issuer.token("team-a"));
        tokens.put("admin", issuer.token("platform-admin"));

        Http.Response created = connect.as(tokens.get("team-a requester")).create(Requests.demo(ALIAS).toString());
        assertEquals(202, created.status(), created.toString());
        id = created.json().path("id").asText();
        connect.awaitStatus(id, ConnectionStatus.VERIFIED);
    }

    /**
     * What each caller gets from each endpoint: GET one, the list (whether it lists team-a's connection; a team's list
     * holds only its own connections, the REJECTED ones of the Kafka records included), POST, DELETE.
     */
    @Test
    @Order(2) // it ends with team-a's DELETE, freeing the alias the Kafka records must find taken
    void restAnswersEachCallerAsItsTokenAllows() {
        record Expected(int get, int list, boolean listsIt, int post, int delete) {
        }
        Map<String, Expected> matrix = new LinkedHashMap<>();
        matrix.put("none", new Expected(401, 401, false, 401, 401));
        matrix.put("expired", new Expected(401, 401, false, 401, 401));
        matrix.put("foreign key", new Expected(401, 401, false, 401, 401));
        matrix.put("team-a, no role", new Expected(403, 403, false, 403, 403));
        matrix.put("team-a reader", new Expected(200, 200, true, 403, 403));
        matrix.put("team-b requester", new Expected(404, 200, false, 409, 404));
        matrix.put("team-a requester", new Expected(200, 200, true, 409, -1)); // its DELETE ends the test
        matrix.put("admin", new Expected(200, 200, true, 409, -1));

        List<String> wrong = new ArrayList<>();
        String body = Requests.demo(ALIAS).toString();
        matrix.forEach((caller, expected) -> {
            ConnectService as = connect.as(tokens.get(caller));
            check(wrong, caller, "GET one", expected.get(), as.get(id));
            Http.Response list = as.list(ALIAS, E2eStack.LOCAL_ID);
            check(wrong, caller, "GET list", expected.list(), list);
            if (list.status() == 200) {
                List<String> teams = new ArrayList<>();
                boolean listsIt = false;
                for (JsonNode item : list.json().path("items")) {
                    listsIt |= item.path("id").asText().equals(id);
                    teams.add(item.path("team").asText(null));
                }
                if (listsIt != expected.listsIt()) {
                    wrong.add(caller + ": GET list " + (listsIt ? "shows" : "does not show") + " team-a's connection");
                }
                String team = caller.startsWith("team-a") ? "team-a" : caller.startsWith("team-b") ? "team-b" : null;
                if (team != null && teams.stream().anyMatch(other -> !team.equals(other))) {
                    wrong.add(caller + ": GET list shows connections of other teams: " + teams);
                }
            }
            check(wrong, caller, "POST", expected.post(), as.create(body));
            if (expected.delete() > 0) {
                check(wrong, caller, "DELETE", expected.delete(), as.delete(id));
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals("VERIFIED", connect.document(id).path("status").asText(), "nobody but team-a changed it");

        Http.Response disconnect = connect.as(tokens.get("team-a requester")).delete(id);
        assertEquals(202, disconnect.status(), disconnect.toString());
        connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
    }

    /**
     * The same callers on the topic: a record another system publishes with the caller's token. Only the requesters
     * get as far as the alias check; every other record is REJECTED naming the token's fault. None starts a saga.
     */
    @Test
    @Order(1)
    void kafkaRequestsAreHeldToTheSameRules() {
        Map<String, String> expectedField = new LinkedHashMap<>();
        expectedField.put("none", "authorization");
        expectedField.put("expired", "authorization");
        expectedField.put("foreign key", "authorization");
        expectedField.put("team-a, no role", "groups");
        expectedField.put("team-a reader", "groups");
        expectedField.put("team-b requester", "alias");
        expectedField.put("team-a requester", "alias");
        expectedField.put("admin", "alias");

        Map<String, String> requestIds = new LinkedHashMap<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        expectedField.keySet().forEach(caller -> {
            String requestId = "e2e-authz-" + UUID.randomUUID();
            requestIds.put(caller, requestId);
            String value = Requests.submitted(requestId, ALIAS).toString();
            String token = tokens.get(caller);
            records.add(token == null ? new ProducerRecord<>(io.crosslink.events.Topics.CONNECTION_REQUESTS, requestId,
                    value) : Requests.authorized(requestId, value, token));
            // The requestId scope is the token's team: each record its own id, so none is a repeat of another.
        });
        kafka.publishAll(records);

        List<String> wrong = new ArrayList<>();
        JsonNode listed = Poll.until("a connection for each record", Duration.ofSeconds(60), () -> {
            JsonNode items = connect.findByAlias(ALIAS, E2eStack.LOCAL_ID).path("items");
            return requestIds.values().stream().allMatch(requestId -> byRequestId(items, requestId) != null)
                    ? Optional.of(items) : Optional.empty();
        }, () -> connect.findByAlias(ALIAS, E2eStack.LOCAL_ID).toString());
        expectedField.forEach((caller, field) -> {
            JsonNode document = byRequestId(listed, requestIds.get(caller));
            if (!"REJECTED".equals(document.path("status").asText())) {
                wrong.add(caller + ": " + document.path("status").asText() + " instead of REJECTED");
                return;
            }
            JsonNode reasons = document.path("reasons");
            if (reasons.size() != 1 || !field.equals(reasons.path(0).path("field").asText())) {
                wrong.add(caller + ": REJECTED for " + reasons + ", not for " + field);
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static JsonNode byRequestId(JsonNode documents, String requestId) {
        for (JsonNode document : documents) {
            if (requestId.equals(document.path("requestId").asText())) {
                return document;
            }
        }
        return null;
    }

    private static void check(List<String> wrong, String caller, String call, int expected, Http.Response response) {
        if (response.status() != expected) {
            wrong.add(caller + ": " + call + " answered " + response.status() + ", not " + expected + ": " + response);
        } else if (expected >= 400 && !response.header("Content-Type").orElse("").startsWith("application/problem+json")) {
            wrong.add(caller + ": " + call + " answered " + expected + " without problem+json: " + response);
        }
    }
}

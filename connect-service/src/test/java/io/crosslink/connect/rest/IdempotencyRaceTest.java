package io.crosslink.connect.rest;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.service.ConnectionService;
import io.crosslink.connect.service.ConnectionService.Intake;
import io.crosslink.connect.support.Connections;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.TestTokens;
import io.crosslink.events.EventCodec;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests racing each other on a real PostgreSQL: the same {@code Idempotency-Key} (or Kafka {@code requestId}) sent
 * many times at once yields one connection, every caller with the same body gets it, another body a 409. The REST
 * callers are one team's ({@link TestTokens#admin()}), so the key is stored in that team's scope.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class IdempotencyRaceTest {
    private static final int PARALLEL = 20;
    private static final String PROBLEM = "application/problem+json";
    private static final String BEARER = "Bearer " + TestTokens.admin();

    @TestHTTPResource("/api/v1/connections")
    URI connections;

    @Inject
    ConnectionService service;

    HttpClient http;
    ExecutorService pool;

    @BeforeEach
    void start() {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        pool = Executors.newFixedThreadPool(PARALLEL);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void twentyParallelPostsWithOneKeyAndBodyAllGetTheOneConnection() throws Exception {
        String alias = alias("race");
        String key = "race-" + alias;
        String body = valid(alias).toString();

        List<Answer> answers = race(i -> () -> post(key, body));

        assertEquals(List.of(202), answers.stream().map(Answer::status).distinct().toList(), String.valueOf(answers));
        Set<String> ids = answers.stream().map(Answer::id).collect(Collectors.toSet());
        assertEquals(1, ids.size(), "one connection for all: " + answers);
        String id = ids.iterator().next();
        answers.forEach(a -> assertEquals("/api/v1/connections/" + id, URI.create(a.location()).getPath()));
        assertEquals(1, Connection.count("idempotencyKey", scoped(key)), "one row with the key");
        assertEquals(1, Connection.count("alias", alias), "one row with the alias");
        // Exactly one saga started: the one connection's checks ran once.
        Connections.awaitStatus(id, "REQUESTED", "validate");
        assertEquals(List.of("ConnectionRequested"), Connections.events(id));
    }

    @Test
    void mixedBodiesUnderOneKeyGiveTheWinningBodyItsConnectionAndTheOthers409() throws Exception {
        String alias = alias("mixed");
        String key = "mixed-" + alias;
        ObjectNode other = valid(alias);
        other.put("skipUnavailable", false);
        List<String> bodies = List.of(valid(alias).toString(), other.toString());

        List<Answer> answers = race(i -> () -> post(key, bodies.get(i % 2)));

        List<Answer> accepted = answers.stream().filter(a -> a.status() == 202).toList();
        List<Answer> refused = answers.stream().filter(a -> a.status() != 202).toList();
        assertEquals(1, accepted.stream().map(Answer::id).distinct().count(), "one connection: " + answers);
        // The winner's body is the one stored; every request with it got 202, every request with the other 409.
        String winner = accepted.get(0).body();
        assertEquals(PARALLEL / 2, accepted.size(), String.valueOf(answers));
        accepted.forEach(a -> assertEquals(winner, a.body()));
        assertEquals(PARALLEL / 2, refused.size(), String.valueOf(answers));
        for (Answer answer : refused) {
            assertEquals(409, answer.status(), String.valueOf(answer));
            assertTrue(answer.contentType().startsWith(PROBLEM), String.valueOf(answer));
            assertEquals(List.of("Idempotency-Key"), answer.violationFields(), String.valueOf(answer));
            assertTrue(!answer.body().equals(winner));
        }
        String id = accepted.get(0).id();
        JsonNode stored = EventCodec.mapper().readTree(
                http.send(HttpRequest.newBuilder(connections.resolve("/api/v1/connections/" + id))
                                .header("Authorization", BEARER).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(EventCodec.mapper().readTree(winner).path("skipUnavailable").asBoolean(true),
                stored.path("request").path("skipUnavailable").asBoolean(), "the winner's body is stored");
        assertEquals(1, Connection.count("idempotencyKey", scoped(key)));
        assertEquals(1, Connection.count("alias", alias));
    }

    @Test
    void parallelPostsOfOneAliasWithDifferentKeysGiveOneConnectionAndAliasInUse() throws Exception {
        String alias = alias("alias-race");
        String body = valid(alias).toString();

        List<Answer> answers = race(i -> () -> post("alias-race-" + i + "-" + alias, body));

        assertEquals(1, answers.stream().filter(a -> a.status() == 202).count(), String.valueOf(answers));
        answers.stream().filter(a -> a.status() != 202).forEach(a -> {
            assertEquals(409, a.status(), String.valueOf(a));
            assertTrue(a.contentType().startsWith(PROBLEM), String.valueOf(a));
            assertEquals(List.of("alias"), a.violationFields(), String.valueOf(a));
        });
        assertEquals(1, Connection.count("alias", alias));
    }

    @Test
    void parallelRecordsWithOneRequestIdStartOneConnection() throws Exception {
        String alias = alias("topic-race");
        String requestId = "req-" + alias;
        ObjectNode body = valid(alias);

        Caller caller = new Caller("publisher", TestTokens.ADMIN_TEAM, Set.of(Caller.REQUEST));
        List<Intake> intakes = race(i -> () -> service.submitFromTopic(requestId, body.deepCopy(), caller));

        assertEquals(1, intakes.stream().filter(Intake.ACCEPTED::equals).count(), String.valueOf(intakes));
        assertEquals(PARALLEL - 1, intakes.stream().filter(Intake.DUPLICATE::equals).count(), String.valueOf(intakes));
        assertEquals(1, Connection.count("idempotencyKey", "kafka:" + TestTokens.ADMIN_TEAM + ":" + requestId));
        assertEquals(1, Connection.count("alias", alias));
    }

    /** Runs {@link #PARALLEL} calls released together by one start gate; their results in submission order. */
    private <T> List<T> race(IntFunction<Callable<T>> call) throws Exception {
        CountDownLatch ready = new CountDownLatch(PARALLEL);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            Callable<T> task = call.apply(i);
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return task.call();
            }));
        }
        ready.await();
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    private Answer post(String key, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(connections)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .header("Authorization", BEARER)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), body, response.body(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Location").orElse(""));
    }

    /** The key as stored: in the scope of the callers' team. */
    private static String scoped(String key) {
        return "rest:" + TestTokens.ADMIN_TEAM + ":" + key;
    }

    /** One HTTP answer, with the body that was sent. */
    private record Answer(int status, String body, String answer, String contentType, String location) {
        String id() {
            return json().path("id").asText(null);
        }

        List<String> violationFields() {
            List<String> fields = new ArrayList<>();
            json().path("violations").forEach(v -> fields.add(v.path("field").asText()));
            return fields;
        }

        private JsonNode json() {
            try {
                return EventCodec.mapper().readTree(answer);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + answer, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + answer;
        }
    }
}

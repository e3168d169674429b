package io.crosslink.connect.property;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.property.HostileRequests.Body;
import io.crosslink.connect.property.HostileRequests.Template;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.connect.support.TestTokens;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at scale through the real intake: 1,000 generated bodies ({@link HostileRequests}) posted to
 * {@code POST /api/v1/connections} and 1,000 generated records on {@code connection-requests}, on real Kafka and
 * PostgreSQL. REST answers 2xx or 4xx problem+json, never 5xx, and a 4xx stores and publishes nothing; every record
 * ends as a connection or on the dead-letter topic, and the consumer keeps running. Generated from
 * {@link Seeds#seed()} (jqwik's generators outside its engine: {@code @QuarkusTest} is a Jupiter extension), so a
 * failure names the seed that reproduces it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class HostileIntakeTest {
    static final int REST_BODIES = 1_000;
    static final int KAFKA_RECORDS = 1_000;
    /** Concurrent REST clients: the service is busy, the test is quicker. */
    private static final int SENDERS = 4;
    private static final String PROBLEM = "application/problem+json";
    private static final String RUN = Long.toHexString(System.nanoTime());
    /** Requesters of the tests' admin team (which the tests' policy lets request anything); subjects of this run. */
    private static final String REST_SUBJECT = "hostile-rest-" + RUN;
    private static final String KAFKA_SUBJECT = "hostile-kafka-" + RUN;
    /** Waiting for the consumer to work through every record on a shared 2-core machine: generous, not asserted. */
    private static final Duration KAFKA_WAIT = Duration.ofMinutes(4);
    private static final byte[][] INVALID_UTF8 = {{(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** How a body is sent: as generated, with invalid UTF-8 bytes in it, or with a hostile Idempotency-Key. */
    record RestCase(Template template, int invalidBytes, int at, String idempotencyKey) {
        byte[] bytes(Body body) {
            return withInvalidUtf8(body.bytes(), invalidBytes, at);
        }
    }

    /** The text's bytes with {@code INVALID_UTF8[which]} at {@code at} (none when {@code which} is negative). */
    static byte[] withInvalidUtf8(byte[] text, int which, int at) {
        if (which < 0) {
            return text;
        }
        byte[] invalid = INVALID_UTF8[which];
        int position = Math.min(at, text.length);
        byte[] out = new byte[text.length + invalid.length];
        System.arraycopy(text, 0, out, 0, position);
        System.arraycopy(invalid, 0, out, position, invalid.length);
        System.arraycopy(text, position, out, position + invalid.length, text.length - position);
        return out;
    }

    /** A record: its body, and its requestId (set last, so no mutation sees it) or none, and how its value is sent. */
    record KafkaCase(Template template, JsonNode requestId, int invalidBytes, boolean tombstone) {
    }

    @Test
    void restAnswersHostileBodiesWith2xxOr4xxOnlyAndA4xxStoresAndPublishesNothing() throws Exception {
        String token = TestTokens.token(REST_SUBJECT, TestTokens.ADMIN_TEAM, Caller.REQUEST);
        long start = System.nanoTime();
        List<RestCase> cases = generate(restCases(), REST_BODIES);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                int n = i;
                sent.add(senders.submit(() -> {
                    RestCase restCase = cases.get(n);
                    Body body = restCase.template().render();
                    RequestSpecification request = given().header("Authorization", "Bearer " + token)
                            .contentType("application/json; charset=UTF-8").body(restCase.bytes(body));
                    if (restCase.idempotencyKey() != null) {
                        request.header("Idempotency-Key", restCase.idempotencyKey());
                    }
                    Response response = request.post("/api/v1/connections");
                    int status = response.statusCode();
                    statuses.merge(status, 1, Integer::sum);
                    String problem = problem(status, response);
                    if (problem != null) {
                        failures.add("#" + n + " " + problem + " for " + body);
                    } else if (status < 300) {
                        accepted.add(response.path("id"));
                    }
                }));
            }
            for (Future<?> answer : sent) {
                answer.get(2, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
        assertTrue(failures.isEmpty(), failures.size() + " wrong answers " + seedNote() + ":\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));

        // Stored: exactly the accepted ones. Published: a valid request afterwards is a barrier (the relay publishes
        // the outbox oldest first); until its document is out, every status document of this subject is an accepted
        // one. (The outbox is written in the connection's transaction: no row, nothing to publish.)
        String sentinel = given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(TestRequests.valid(TestRequests.alias("hostile-sentinel")).toString())
                .post("/api/v1/connections").then().statusCode(202).extract().path("id");
        Set<String> stored = new HashSet<>();
        Connection.<Connection>list("subject", REST_SUBJECT).forEach(c -> stored.add(c.id));
        Set<String> expected = new HashSet<>(accepted);
        expected.add(sentinel);
        assertEquals(expected, stored, "stored connections of " + statuses + " " + seedNote());
        Set<String> published = publishedUntil(sentinel, REST_SUBJECT);
        assertTrue(expected.containsAll(published), "published " + published + " " + seedNote());
        System.out.printf("hostile REST bodies: %d, answers %s, accepted %d, %d s %s%n", cases.size(), statuses,
                accepted.size(), Duration.ofNanos(System.nanoTime() - start).toSeconds(), seedNote());
    }

    @Test
    void everyHostileRecordBecomesAConnectionOrADeadLetterAndTheConsumerKeepsRunning() throws Exception {
        String authorization = "Bearer " + TestTokens.token(KAFKA_SUBJECT, TestTokens.ADMIN_TEAM, Caller.REQUEST);
        long start = System.nanoTime();
        List<KafkaCase> cases = generate(kafkaCases(), KAFKA_RECORDS);
        Map<String, String> requestIdByKey = new LinkedHashMap<>();
        Map<String, Body> bodyByKey = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, "20"))) {
            for (int i = 0; i < cases.size(); i++) {
                KafkaCase kafkaCase = cases.get(i);
                String key = "hostile-" + RUN + "-" + i;
                JsonNode requestId = kafkaCase.requestId() == null ? null
                        : kafkaCase.requestId().isTextual() ? TextNode.valueOf(key + kafkaCase.requestId().asText())
                        : kafkaCase.requestId();
                Body body = kafkaCase.template().render(d -> {
                    if (requestId != null && d.tree() instanceof ObjectNode object) {
                        object.set("requestId", requestId);
                    }
                });
                bodyByKey.put(key, body);
                byte[] value = kafkaCase.tombstone() ? null
                        : withInvalidUtf8(body.bytes(), kafkaCase.invalidBytes(), 20);
                requestIdAsRead(value).ifPresent(id -> requestIdByKey.put(key, id));
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.CONNECTION_REQUESTS, key, value);
                record.headers().add("authorization", authorization.getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }

        Set<String> pending = new HashSet<>(bodyByKey.keySet());
        int connections = 0;
        int deadLetters = 0;
        Instant deadline = Instant.now().plus(KAFKA_WAIT);
        try (KafkaConsumer<String, String> dlq = consumer()) {
            dlq.subscribe(List.of(Topics.deadLetter(Topics.CONNECTION_REQUESTS)));
            while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : dlq.poll(Duration.ofSeconds(1))) {
                    if (pending.remove(record.key())) {
                        deadLetters++;
                    }
                }
                Map<String, String> keyByRequestId = new LinkedHashMap<>();
                // (A requestId with NUL cannot be stored, nor even asked for: PostgreSQL text holds no NUL.)
                pending.stream().filter(requestIdByKey::containsKey)
                        .filter(key -> requestIdByKey.get(key).indexOf('\0') < 0)
                        .forEach(key -> keyByRequestId.put(requestIdByKey.get(key), key));
                if (!keyByRequestId.isEmpty()) {
                    List<String> ids = List.copyOf(keyByRequestId.keySet());
                    for (Connection found : Connection.<Connection>list("requestId in ?1", ids)) {
                        if (pending.remove(keyByRequestId.get(found.requestId))) {
                            connections++;
                        }
                    }
                }
            }
        }
        List<String> lost = pending.stream().sorted().limit(20).map(key -> key + " (requestId "
                + HostileRequests.abbreviate(String.valueOf(requestIdByKey.get(key)), 60) + "): " + bodyByKey.get(key))
                .toList();
        assertTrue(pending.isEmpty(), pending.size() + " records neither a connection nor dead-lettered within "
                + KAFKA_WAIT.toMinutes() + " min " + seedNote() + ":\n" + String.join("\n", lost));

        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        // Still consuming: a request after them all is taken.
        String requestId = "hostile-canary-" + RUN;
        ObjectNode canary = TestRequests.valid(TestRequests.alias("hostile-canary"));
        canary.put("requestId", requestId);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.CONNECTION_REQUESTS, requestId,
                    canary.toString());
            record.headers().add("authorization", authorization.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
        Awaitility.await().atMost(KafkaTestClient.WAIT).pollInterval(Duration.ofMillis(500)).pollInSameThread()
                .until(() -> Connection.count("requestId", requestId) == 1);
        System.out.printf("hostile Kafka records: %d, connections %d, dead letters %d, %d s %s%n", cases.size(),
                connections, deadLetters, Duration.ofNanos(System.nanoTime() - start).toSeconds(), seedNote());
    }

    /**
     * The requestId the consumer reads from a record value (decoded as UTF-8, then JSON), if any: what its connection
     * is found by. (A lone surrogate sent as UTF-8 arrives as '?', one sent as an escape arrives as itself.)
     */
    private static Optional<String> requestIdAsRead(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            JsonNode id = EventCodec.mapper().readTree(new String(value, StandardCharsets.UTF_8)).path("requestId");
            return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Bodies with at least one mutation (a valid one now and then: accepted, counted), sent in various ways. */
    static Arbitrary<RestCase> restCases() {
        Arbitrary<Integer> invalidBytes = Arbitraries.frequencyOf(Tuple.of(19, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, INVALID_UTF8.length - 1)));
        Arbitrary<String> idempotencyKey = Arbitraries.frequencyOf(Tuple.of(18, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("x".repeat(300), " ", "'; DROP TABLE connections;--", "${jndi:ldap://x/a}",
                        "../../etc/passwd", "<script>", "%00")),
                Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(255)));
        return Combinators.combine(HostileRequests.templates(1), invalidBytes, Arbitraries.integers().between(0, 200),
                idempotencyKey).as(RestCase::new);
    }

    /**
     * Records: mostly with a unique requestId (as a suffix of the record key), some with a hostile one, of a wrong
     * type, missing, too long or blank; a few with invalid UTF-8 or no value at all.
     */
    static Arbitrary<KafkaCase> kafkaCases() {
        Arbitrary<JsonNode> requestId = Arbitraries.frequencyOf(
                Tuple.of(85, Arbitraries.just(TextNode.valueOf(""))),
                Tuple.of(5, Arbitraries.oneOf(Arbitraries.of(HostileRequests.INJECTIONS),
                        Arbitraries.of(HostileRequests.UNICODE)).map(s -> TextNode.valueOf("-" + s))),
                Tuple.of(3, Arbitraries.of(TestRequests.json("42"), TestRequests.json("{\"id\":\"x\"}"),
                        TestRequests.json("[\"x\"]"), TestRequests.json("true"), TestRequests.json("null"))),
                Tuple.of(3, Arbitraries.just((JsonNode) null)),
                Tuple.of(2, Arbitraries.just(TextNode.valueOf("-" + "x".repeat(300)))));
        Arbitrary<Integer> invalidBytes = Arbitraries.frequencyOf(Tuple.of(49, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, INVALID_UTF8.length - 1)));
        Arbitrary<Boolean> tombstone = Arbitraries.frequencyOf(Tuple.of(99, Arbitraries.just(false)),
                Tuple.of(1, Arbitraries.just(true)));
        return Combinators.combine(HostileRequests.templates(1), requestId, invalidBytes, tombstone).as(KafkaCase::new);
    }

    /** {@code count} values of the arbitrary, from {@link Seeds#seed()}. */
    static <T> List<T> generate(Arbitrary<T> arbitrary, int count) {
        List<T> values = new ArrayList<>();
        JqwikSession.run(Seeds.seed(), () -> arbitrary.sampleStream().limit(count).forEach(values::add));
        return values;
    }

    /** Why an answer is wrong, or null: 2xx (202 with a document) or 4xx problem+json naming fields; never 5xx. */
    private static String problem(int status, Response response) {
        if (status >= 200 && status < 300) {
            return status == 202 && response.path("id") != null ? null : status + " without a connection document";
        }
        if (status < 400 || status >= 500) {
            return status + " " + HostileRequests.abbreviate(response.asString(), 300);
        }
        String contentType = response.contentType();
        if (contentType == null || !contentType.startsWith(PROBLEM)) {
            return status + " as " + contentType + ": " + HostileRequests.abbreviate(response.asString(), 300);
        }
        List<Map<String, Object>> violations = response.path("violations");
        if (violations == null || violations.isEmpty() || violations.stream().anyMatch(v -> v.get("field") == null
                || String.valueOf(v.get("field")).isBlank())) {
            return status + " naming no field: " + HostileRequests.abbreviate(response.asString(), 300);
        }
        return null;
    }

    /** The connections of {@code subject} on connection-status, read from the start until {@code last}'s document. */
    private Set<String> publishedUntil(String last, String subject) {
        Set<String> ids = new HashSet<>();
        Instant deadline = Instant.now().plus(KafkaTestClient.WAIT);
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.CONNECTION_STATUS));
            boolean seen = false;
            while (!seen && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null && record.value().contains(subject)) {
                        JsonNode document = TestRequests.json(record.value());
                        if (subject.equals(document.path("subject").asText(null))) {
                            ids.add(document.path("id").asText());
                        }
                    }
                    seen |= last.equals(record.key());
                }
            }
            assertTrue(seen, "the status document of " + last + " was not published");
        }
        return ids;
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaTestClient(bootstrapServers).consumer();
    }

    private static String seedNote() {
        return "(seed " + Seeds.seed() + ": -D" + Seeds.PROPERTY + "=" + Seeds.seed() + " reproduces it)";
    }
}

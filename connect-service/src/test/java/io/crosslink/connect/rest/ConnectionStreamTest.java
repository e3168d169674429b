package io.crosslink.connect.rest;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.between;
import static io.crosslink.connect.support.TestRequests.valid;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.service.StatusBroadcast;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.SseClient;
import io.crosslink.connect.support.TestTokens;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/connections/stream} on the real Kafka topic {@code connection-status}: authorized like the list
 * (a team's stream never carries another team's connection), filtered like it, bad input and callers answered with
 * problem+json, and ended when the token expires.
 *
 * <p>"Never carries" without waiting for nothing: each stream receives documents in the order the feed broadcasts
 * them, so once the admin's stream showed the other team's documents, a document of the stream's own connection
 * created after that is a barrier: when it arrives, every earlier document has been offered to the stream.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class ConnectionStreamTest {
    static final String TEAM_A = "live-a";
    static final String TEAM_B = "live-b";
    static final String A = TestTokens.token("anna@example.com", TEAM_A, Caller.REQUEST);
    static final String B = TestTokens.token("ben@example.com", TEAM_B, Caller.REQUEST);
    static final String B_READER = TestTokens.token("bea@example.com", TEAM_B, Caller.READ);
    static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/api/v1/connections/stream")
    URI stream;

    @TestHTTPResource("/")
    URI root;

    @Inject
    StatusBroadcast broadcast;

    private final List<SseClient> open = new ArrayList<>();

    @BeforeEach
    void feedHoldsItsPartitions() {
        await("the live feed's partitions").atMost(WAIT).until(broadcast::feedAssigned);
    }

    @AfterEach
    void closeStreams() {
        open.forEach(SseClient::close);
        open.clear();
    }

    @Test
    void aTeamsStreamNeverCarriesAnotherTeamsConnection() {
        SseClient teamA = follow(A, Map.of());
        SseClient teamB = follow(B_READER, Map.of());
        SseClient admin = follow(TestTokens.admin(), Map.of());

        String a1 = post(A, valid(alias("live-a1")));
        awaitDocuments(admin, a1, 2); // REQUESTED, then its checks' outcome
        awaitDocuments(teamA, a1, 2);
        String b1 = post(B, valid(alias("live-b1"))); // created after a1's documents were broadcast: the barrier
        awaitDocuments(teamB, b1, 1);
        assertEquals(List.of(), teamB.documents(a1), "team-b's stream carried team-a's connection");

        awaitDocuments(admin, b1, 2);
        String a2 = post(A, valid(alias("live-a2")));
        awaitDocuments(teamA, a2, 1);
        assertEquals(List.of(), teamA.documents(b1), "team-a's stream carried team-b's connection");

        for (JsonNode document : teamA.documents()) {
            assertEquals(TEAM_A, document.path("team").asText(), document.toString());
        }
        for (JsonNode document : teamB.documents()) {
            assertEquals(TEAM_B, document.path("team").asText(), document.toString());
        }
        // A document on the stream is the one GET answers (the same codec, the same topic record).
        JsonNode last = teamA.documents(a1).get(teamA.documents(a1).size() - 1);
        assertEquals(last.path("status").asText(), given().header("Authorization", "Bearer " + A)
                .get("/api/v1/connections/{id}", a1).then().statusCode(200).extract().path("status"));
    }

    @Test
    void theFiltersNarrowTheStreamLikeTheList() {
        String aliasOne = alias("live-f1");
        String aliasTwo = alias("live-f2");
        SseClient admin = follow(TestTokens.admin(), Map.of());
        SseClient byAlias = follow(TestTokens.admin(), Map.of("alias", aliasOne,
                "localDeploymentId", ElasticStandIn.LOCAL));
        SseClient rejected = follow(TestTokens.admin(), Map.of("status", "REJECTED"));
        SseClient otherTeam = follow(TestTokens.admin(), Map.of("team", TEAM_B));

        String two = post(TestTokens.admin(), valid(aliasTwo));
        awaitDocuments(admin, two, 2);
        String one = post(TestTokens.admin(), valid(aliasOne)); // the barrier of byAlias
        String unknown = post(TestTokens.admin(), between(alias("live-r"), ElasticStandIn.LOCAL,
                "ffffffffffffffffffffffffffffffff")); // the barrier of rejected
        String ofTeamB = post(B, valid(alias("live-t"))); // the barrier of otherTeam

        awaitDocuments(byAlias, one, 2);
        assertEquals(List.of(), byAlias.documents(two), "another alias");
        awaitDocuments(rejected, unknown, 1);
        assertEquals("REJECTED", rejected.documents(unknown).get(0).path("status").asText());
        assertTrue(rejected.documents().stream().allMatch(d -> d.path("status").asText().equals("REJECTED")),
                "only REJECTED documents: " + rejected.documents());
        awaitDocuments(otherTeam, ofTeamB, 1);
        assertTrue(otherTeam.documents().stream().allMatch(d -> d.path("team").asText().equals(TEAM_B)),
                "an admin's team filter: " + otherTeam.documents());

    }

    @Test
    void badInputAndCallersAreAnsweredWithProblems() {
        try (SseClient bad = SseClient.open(uri(Map.of("status", "NOT_A_STATUS")), A)) {
            assertEquals(400, bad.status());
            assertTrue(bad.header("Content-Type").startsWith("application/problem+json"), bad.header("Content-Type"));
            JsonNode problem = bad.problem();
            assertEquals("status", problem.path("violations").path(0).path("field").asText(), problem.toString());
            assertTrue(problem.path("violations").path(0).path("reason").asText().contains("VERIFIED"), problem.toString());
        }
        try (SseClient anonymous = SseClient.open(stream, null)) {
            assertEquals(401, anonymous.status());
            assertTrue(anonymous.header("Content-Type").startsWith("application/problem+json"));
            assertEquals("Authorization", anonymous.problem().path("violations").path(0).path("field").asText());
        }
        try (SseClient forged = SseClient.open(stream, TestTokens.signWithOtherKey(
                TestTokens.claims("mallory@example.com", TEAM_A, Caller.READ)))) {
            assertEquals(401, forged.status());
        }
        try (SseClient noRole = SseClient.open(stream, TestTokens.token("nobody@example.com", TEAM_A))) {
            assertEquals(403, noRole.status());
            assertEquals("groups", noRole.problem().path("violations").path(0).path("field").asText());
        }
        try (SseClient noTeam = SseClient.open(stream, TestTokens.token("loner@example.com", null, Caller.READ))) {
            assertEquals(403, noTeam.status());
            assertEquals(Caller.TEAM_CLAIM, noTeam.problem().path("violations").path(0).path("field").asText());
        }
    }

    /** The verifier accepts a token 60 s past its {@code exp} (smallrye-jwt's leeway); the stream lives as long. */
    @Test
    void theStreamEndsWhenItsTokenIsNoLongerAccepted() {
        long now = System.currentTimeMillis() / 1000;
        String ending = TestTokens.sign(TestTokens.claims("brief@example.com", TEAM_A, Caller.READ)
                .issuedAt(now - 120).expiresAt(now - 56)); // accepted for about 4 s more
        SseClient expiring = follow(ending, Map.of());
        await("the stream to end with its token").atMost(WAIT).until(expiring::ended);
        await("the token to be refused").atMost(WAIT).until(() -> {
            try (SseClient again = SseClient.open(stream, ending)) {
                return again.status() != 200;
            }
        });
        try (SseClient again = SseClient.open(stream, ending)) {
            assertEquals(401, again.status());
            assertTrue(again.problem().path("detail").asText().contains("expired"), "named as expired");
        }
    }

    @Test
    void thePageLoadsWithoutATokenAndHoldsNoData() throws Exception {
        String alias = alias("live-page");
        post(A, valid(alias));
        HttpResponse<String> page = plainGet(root);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertTrue(page.body().contains("id=\"request-form\""), page.body());
        assertTrue(page.body().contains("<option value=\"VERIFIED\">VERIFIED</option>"), "the statuses, from Qute");
        assertTrue(page.body().contains("<script src=\"/status-page/status-page.js\" defer></script>"));
        assertFalse(page.body().contains(alias), "no connection in the HTML");
        assertFalse(page.body().contains("eyJ"), "no token in the HTML");
        assertFalse(page.body().contains("dev-api-key"), "no Cloud API key in the HTML");
        HttpResponse<String> script = plainGet(root.resolve("/status-page/status-page.js"));
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("/stream"));
        assertEquals(200, plainGet(root.resolve("/status-page/status-page.css")).statusCode());
    }

    private static HttpResponse<String> plainGet(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private SseClient follow(String token, Map<String, String> query) {
        SseClient client = SseClient.open(uri(query), token);
        open.add(client);
        assertEquals(200, client.status(), () -> client.problem().toString());
        assertTrue(client.header("Content-Type").startsWith("text/event-stream"), client.header("Content-Type"));
        await("the stream's ready event").atMost(WAIT).until(client::ready);
        return client;
    }

    private URI uri(Map<String, String> query) {
        StringBuilder text = new StringBuilder(stream.toString());
        query.forEach((name, value) -> text.append(text.indexOf("?") < 0 ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return URI.create(text.toString());
    }

    private static String post(String token, ObjectNode body) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body.toString())
                .post("/api/v1/connections").then().statusCode(202).extract().path("id");
    }

    private static void awaitDocuments(SseClient client, String id, int count) {
        await("%d documents of %s on the stream".formatted(count, id)).atMost(WAIT)
                .until(() -> client.documents(id).size() >= count);
    }
}

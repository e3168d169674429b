package io.crosslink.connect.rest;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.service.Caller;
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
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens as the service verifies them (issuer, audience, signature, expiry): every failure is a 401
 * problem+json with a {@code WWW-Authenticate: Bearer} challenge, on every endpoint, and nothing is stored; health
 * needs no token. Plain HTTP, so exactly the headers written here are sent.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class AuthenticationTest {
    private static final String PROBLEM = "application/problem+json";
    private static final String TEAM = "auth-team";

    @TestHTTPResource("/api/v1/connections")
    URI connections;

    @TestHTTPResource("/q/health")
    URI health;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void everyEndpointAnswersARequestWithoutTokenWith401ProblemAndAChallenge() throws Exception {
        String alias = alias("anonymous");
        long before = Connection.count();

        for (HttpRequest.Builder request : List.of(
                HttpRequest.newBuilder(connections).GET(),
                HttpRequest.newBuilder(connections.resolve("/api/v1/connections/no-such-connection")).GET(),
                HttpRequest.newBuilder(connections).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(valid(alias).toString())),
                HttpRequest.newBuilder(connections.resolve("/api/v1/connections/no-such-connection")).DELETE())) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

            JsonNode problem = assertUnauthorized(response);
            assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals("Authorization", problem.path("violations").path(0).path("field").asText(), problem.toString());
            assertEquals("a bearer token is required", problem.path("violations").path(0).path("reason").asText());
        }
        assertEquals(before, Connection.count(), "nothing stored");
        assertEquals(0, Connection.count("alias", alias));
    }

    @Test
    void aTokenThatFailsVerificationIsRefusedWith401() throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("malformed", "Bearer not.a.jwt");
        refused.put("not a JWT at all", "Bearer " + "x".repeat(40));
        refused.put("expired", "Bearer " + TestTokens.sign(Jwt.issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .subject("late").groups(Set.of(Caller.ADMIN)).claim(Caller.TEAM_CLAIM, TEAM)
                .issuedAt(now - 7200).expiresAt(now - 3600)));
        refused.put("wrong issuer", "Bearer " + TestTokens.sign(Jwt.issuer("https://somebody-else.example")
                .audience(TestTokens.AUDIENCE).subject("stranger").groups(Set.of(Caller.ADMIN))
                .claim(Caller.TEAM_CLAIM, TEAM).expiresIn(600)));
        refused.put("wrong audience", "Bearer " + TestTokens.sign(Jwt.issuer(TestTokens.ISSUER).audience("other-service")
                .subject("lost").groups(Set.of(Caller.ADMIN)).claim(Caller.TEAM_CLAIM, TEAM).expiresIn(600)));
        refused.put("no audience", "Bearer " + TestTokens.sign(Jwt.issuer(TestTokens.ISSUER).subject("lost")
                .groups(Set.of(Caller.ADMIN)).claim(Caller.TEAM_CLAIM, TEAM).expiresIn(600)));
        refused.put("bad signature", "Bearer " + TestTokens.signWithOtherKey(
                TestTokens.claims("forger", TEAM, Caller.ADMIN)));
        String valid = TestTokens.token("alice", TEAM, Caller.ADMIN);
        refused.put("tampered claims", "Bearer " + tamper(valid));
        String alias = alias("refused");

        for (Map.Entry<String, String> token : refused.entrySet()) {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(connections)
                    .header("Authorization", token.getValue()).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode problem = assertUnauthorized(list);
            String challenge = list.headers().firstValue("WWW-Authenticate").orElse("");
            assertTrue(challenge.startsWith("Bearer error=\"invalid_token\""), token.getKey() + ": " + challenge);
            assertEquals("Authorization", problem.path("violations").path(0).path("field").asText(), token.getKey());

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(connections)
                    .header("Authorization", token.getValue()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(valid(alias).toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertUnauthorized(post);
        }
        assertEquals(0, Connection.count("alias", alias), "nothing stored");

        // Expiry, the one failure a caller fixes by itself, is named.
        HttpResponse<String> expired = http.send(HttpRequest.newBuilder(connections)
                .header("Authorization", refused.get("expired")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(expired.headers().firstValue("WWW-Authenticate").orElseThrow().contains("expired"));
        assertEquals("The bearer token has expired.", json(expired.body()).path("detail").asText());

        // The same claims, properly signed and current, are accepted.
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(connections)
                .header("Authorization", "Bearer " + valid).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, accepted.statusCode(), accepted.body());
    }

    @Test
    void anotherSchemeThanBearerIsNoToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(connections)
                .header("Authorization", "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertUnauthorized(response);
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        for (URI uri : List.of(health, health.resolve("/q/health/live"), health.resolve("/q/health/ready"))) {
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, anonymous.statusCode(), uri + ": " + anonymous.body());
            assertEquals("UP", json(anonymous.body()).path("status").asText(), anonymous.body());
            // Not even a bad token is looked at.
            HttpResponse<String> badToken = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer not.a.jwt").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, badToken.statusCode(), uri + ": " + badToken.body());
        }
    }

    private static JsonNode assertUnauthorized(HttpResponse<String> response) throws IOException {
        String where = response.request().method() + " " + response.request().uri() + ": " + response.body();
        assertEquals(401, response.statusCode(), where);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(PROBLEM), where);
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), where);
        JsonNode problem = json(response.body());
        assertEquals(401, problem.path("status").asInt(), where);
        assertEquals("urn:crosslink:problem:unauthorized", problem.path("type").asText(), where);
        assertEquals("Unauthorized", problem.path("title").asText(), where);
        assertTrue(!problem.path("detail").asText().isBlank(), where);
        return problem;
    }

    /** The token with another subject in its payload: the signature no longer matches. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"alice\"", "\"mallory\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private static JsonNode json(String body) throws IOException {
        return EventCodec.mapper().readTree(body);
    }
}

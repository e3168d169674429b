package io.crosslink.connect.messaging;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.TestTokens;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Topics;
import io.crosslink.events.Violation;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who publishes a request on the topic: the bearer token in its {@code authorization} header, verified as over REST
 * but at the record's time. A readable request without a valid token becomes a REJECTED connection of no team naming
 * the header and why; the token is never in what connect-service writes.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class KafkaIdentityTest {
    static final String TEAM = "authz-a";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaTestClient kafka;

    @BeforeEach
    void clients() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @Test
    void aValidTokenMakesTheRequestItsTeamsWithItsSubject() {
        String token = TestTokens.token("pat@example.com", TEAM, Caller.REQUEST);

        ConnectionDocument document = publish("kid-valid", "Bearer " + token, null);

        assertEquals(ConnectionStatus.REQUESTED, document.status());
        assertEquals(TEAM, document.team());
        assertEquals("pat@example.com", document.subject());
        assertFalse(EventCodec.encode(document).contains(token));
    }

    @Test
    void aRecordWithoutATokenIsRejectedNamingTheHeader() {
        ConnectionDocument document = publish("kid-none", null, null);

        assertRefused(document, "authorization", "is required");
        assertNull(document.team(), "no team: only admins see it");
        assertNull(document.subject());
    }

    @Test
    void aHeaderThatIsNoBearerTokenIsRejected() {
        assertRefused(publish("kid-basic", "Basic dXNlcjpwYXNz", null), "authorization", "must be Bearer <JWT>");
        assertRefused(publish("kid-empty", "Bearer ", null), "authorization", "must be Bearer <JWT>");
        assertRefused(publish("kid-garbage", "Bearer not.a.jwt", null), "authorization", "is not valid");
    }

    @Test
    void expiryIsJudgedAtTheRecordsTime() {
        long now = Instant.now().getEpochSecond();
        String expiredAnHourAgo = TestTokens.sign(TestTokens.claims("late", TEAM, Caller.REQUEST)
                .issuedAt(now - 7200).expiresAt(now - 3600));

        // Produced while the token was valid, consumed after it expired: accepted.
        ConnectionDocument produced = publish("kid-late", "Bearer " + expiredAnHourAgo,
                Instant.ofEpochSecond(now - 5400));
        assertEquals(ConnectionStatus.REQUESTED, produced.status());
        assertEquals(TEAM, produced.team());
        // Produced after it expired: rejected.
        assertRefused(publish("kid-expired", "Bearer " + expiredAnHourAgo, null), "authorization",
                "the bearer token had expired at the record's time");
        // Produced before it was valid (nbf): rejected.
        String notYet = TestTokens.sign(TestTokens.claims("early", TEAM, Caller.REQUEST).claim("nbf", now + 3600));
        assertRefused(publish("kid-early", "Bearer " + notYet, null), "authorization", "not yet valid");
    }

    @Test
    void aTokenOfAnotherIssuerAudienceOrKeyIsRejectedNamingWhich() {
        assertRefused(publish("kid-issuer", "Bearer " + TestTokens.sign(TestTokens.claims("x", TEAM, Caller.REQUEST)
                .issuer("https://elsewhere.example")), null), "authorization", "not of the configured issuer");
        assertRefused(publish("kid-audience", "Bearer " + TestTokens.sign(TestTokens.claims("x", TEAM, Caller.REQUEST)
                .audience("another-service")), null), "authorization", "not for this service's audience");
        assertRefused(publish("kid-key", "Bearer " + TestTokens.signWithOtherKey(TestTokens.claims("x", TEAM,
                Caller.REQUEST)), null), "authorization", "not signed by the configured issuer's key");
    }

    @Test
    void theRoleAndTheTeamAreCheckedAsForPost() {
        assertRefused(publish("kid-reader", "Bearer " + TestTokens.token("r", TEAM, Caller.READ), null),
                Caller.ROLES_CLAIM, Caller.REQUEST);
        assertRefused(publish("kid-teamless", "Bearer " + TestTokens.token("t", null, Caller.REQUEST), null),
                Caller.TEAM_CLAIM, "is required");
    }

    @Test
    void aRefusedRecordSentAgainIsOneConnectionAndDoesNotBlockTheSameRequestIdWithAToken() {
        String alias = alias("kid-again");
        String requestId = "req-" + alias;
        ObjectNode body = valid(alias);
        body.put("requestId", requestId);
        String marker = "req-" + alias("kid-marker");
        ObjectNode markerBody = valid(alias("kid-marker"));
        markerBody.put("requestId", marker);
        // One record key: one partition, taken in this order.
        kafka.authorized(alias, body.toString(), null, null);
        kafka.authorized(alias, body.toString(), null, null);
        kafka.authorized(alias, body.toString(), "Bearer " + TestTokens.token("pat", TEAM, Caller.REQUEST), null);
        kafka.authorized(alias, markerBody.toString(), "Bearer " + TestTokens.admin(), null);
        kafka.await(Topics.CONNECTION_STATUS, r -> r.value().contains("\"requestId\":\"" + marker + "\""));

        assertEquals(1, Connection.count("requestId = ?1 and status = ?2", requestId, ConnectionStatus.REJECTED));
        assertEquals(1, Connection.count("requestId = ?1 and team = ?2", requestId, TEAM));
    }

    /** Publishes a valid request with this authorization header (none when null) and returns its first document. */
    private ConnectionDocument publish(String prefix, String authorization, Instant timestamp) {
        String alias = alias(prefix);
        String requestId = "req-" + alias;
        ObjectNode body = valid(alias);
        body.put("requestId", requestId);
        kafka.authorized(requestId, body.toString(), authorization, timestamp);
        String document = kafka.await(Topics.CONNECTION_STATUS,
                r -> r.value().contains("\"requestId\":\"" + requestId + "\"")).value();
        if (authorization != null && authorization.length() > "Bearer ".length()) {
            assertFalse(document.contains(authorization.substring("Bearer ".length())), "the token in " + document);
        }
        return EventCodec.read(document, ConnectionDocument.class);
    }

    private static void assertRefused(ConnectionDocument document, String field, String reason) {
        assertEquals(ConnectionStatus.REJECTED, document.status(), String.valueOf(document));
        assertEquals(1, document.reasons().size(), String.valueOf(document.reasons()));
        Violation violation = document.reasons().get(0);
        assertEquals(field, violation.field(), String.valueOf(violation));
        assertTrue(violation.reason().contains(reason), violation.reason());
    }
}

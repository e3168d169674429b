package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Elastic;
import io.crosslink.e2e.support.Events;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.KafkaTopics;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionStatus;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario a: the README's request, POSTed to connect-service, reaches VERIFIED, and every step really happened
 * on the deployments. The first test runs the saga; the others check what it left (skipped if it failed).
 */
@Order(2)
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestRequestTest {
    private static final String ALIAS = "e2e-rest";

    private E2eStack stack;
    private ConnectService connect;
    private Elastic elastic;
    private Events events;
    private final String idempotencyKey = "e2e-rest-" + UUID.randomUUID();
    private ObjectNode request;
    private String id;
    private JsonNode verified;

    @BeforeAll
    void connectTo(E2eStack stack) {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        this.stack = stack;
        connect = new ConnectService(stack.connectUrl());
        elastic = new Elastic(stack);
        events = new Events(new KafkaTopics(stack.kafkaBootstrapServers()));
    }

    @Test
    @Order(1)
    void aPostedRequestIsAcceptedAndReachesVerified() {
        request = Requests.demo(ALIAS);
        long begin = System.nanoTime();
        Http.Response accepted = connect.create(request.toString(), "Idempotency-Key", idempotencyKey);

        assertEquals(202, accepted.status(), accepted.toString());
        assertTrue(accepted.header("Content-Type").orElse("").startsWith("application/json"), accepted.headers().toString());
        JsonNode document = accepted.json();
        id = document.path("id").asText();
        assertTrue(!id.isBlank(), accepted.toString());
        assertTrue(accepted.header("Location").orElse("").endsWith(ConnectService.CONNECTIONS + "/" + id),
                "Location: " + accepted.header("Location"));
        assertEquals(ConnectionStatus.REQUESTED.name(), document.path("status").asText(), accepted.toString());
        assertEquals(ALIAS, document.path("request").path("alias").asText(), accepted.toString());
        assertTrue(document.path("request").path("skipUnavailable").asBoolean(), "skipUnavailable defaults to true: " + accepted);

        verified = connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        SagaChecks.printTimings("POST of connection " + id, verified, Duration.ofNanos(System.nanoTime() - begin));
        assertEquals(document.path("request"), verified.path("request"), "the request as accepted");
        assertEquals(document.path("createdAt"), verified.path("createdAt"));
    }

    @Test
    @Order(2)
    void theKeyOnTheRemoteHasExactlyTheRequestedAccess() {
        assumeVerified();
        JsonNode key = SagaChecks.keyOnRemoteHasExactlyTheRequestedAccess(elastic, id, ALIAS, request.path("access"));
        KeyCreated created = events.find(KeyCreated.class, id).orElseThrow(() -> new AssertionError("no KeyCreated for " + id));
        assertEquals(key.path("id").asText(), created.keyId());
        assertEquals("crosslink-" + id, created.keyName());
    }

    @Test
    @Order(3)
    void theLocalKeystoreHoldsTheCredentials() {
        assumeVerified();
        SagaChecks.localKeystoreHoldsTheCredentials(elastic, ALIAS);
    }

    @Test
    @Order(4)
    void theLocalDeploymentIsConnectedAndSearchesTheRemote() {
        assumeVerified();
        SagaChecks.localIsConnectedToRemote(elastic, ALIAS);
        SagaChecks.crossClusterSearchReturnsRemoteDocuments(elastic, ALIAS);
    }

    @Test
    @Order(5)
    void theTimelineHasEveryStepInOrder() {
        assumeVerified();
        SagaChecks.timelineHasEveryStepInOrder(verified);
    }

    /**
     * cloud-sim reloads L's keystore {@link E2eStack#keystoreReloadDelay()} after the PATCH, as Elastic Cloud does
     * asynchronously: verify-service's first attempt runs before the credentials are there, and the connection
     * must still be proven, by trying again (Elasticsearch does not retry a failed remote connection by itself).
     */
    @Test
    @Order(6)
    void verificationCopedWithTheLateKeystoreReload() {
        assumeVerified();
        ConnectionVerified proof = events.find(ConnectionVerified.class, id)
                .orElseThrow(() -> new AssertionError("no ConnectionVerified for " + id));
        KeystoreUpdated keystore = events.find(KeystoreUpdated.class, id)
                .orElseThrow(() -> new AssertionError("no KeystoreUpdated for " + id));
        System.out.printf("verification of %s: %d attempt(s), %d ms after KeystoreUpdated (keystore reload delay %d s), "
                + "probe %s: %d hit(s), %d socket(s)%n", id, proof.attempts(),
                Duration.between(keystore.occurredAt(), proof.occurredAt()).toMillis(),
                stack.keystoreReloadDelay().toSeconds(), proof.probe(), proof.probeHits(), proof.connectedSockets());
        assertTrue(proof.attempts() > 1, "the first verification attempt ran before the keystore reload ("
                + stack.keystoreReloadDelay().toSeconds() + " s late) and cannot have succeeded; attempts: " + proof.attempts());
        assertTrue(proof.probeHits() > 0, "the probe search found nothing: " + proof);
        assertTrue(proof.connectedSockets() > 0, "no connected sockets: " + proof);
    }

    @Test
    @Order(7)
    void theSameIdempotencyKeyGivesTheSameConnectionAndAnotherBodyIsAConflict() {
        assumeVerified();
        Http.Response again = connect.create(request.toString(), "Idempotency-Key", idempotencyKey);
        assertTrue(again.status() == 200 || again.status() == 202, again.toString());
        assertEquals(id, again.json().path("id").asText(), again.toString());

        ObjectNode other = Requests.demo(ALIAS + "-other");
        Http.Response conflict = connect.create(other.toString(), "Idempotency-Key", idempotencyKey);
        assertEquals(409, conflict.status(), conflict.toString());

        assertEquals(1, connect.findByAlias(ALIAS, E2eStack.LOCAL_ID).path("total").asInt(), "a second connection started");
        assertEquals(0, connect.findByAlias(ALIAS + "-other", E2eStack.LOCAL_ID).path("total").asInt(),
                "the conflicting request was stored");
    }

    private void assumeVerified() {
        assumeTrue(verified != null, "the request did not reach VERIFIED (see aPostedRequestIsAcceptedAndReachesVerified)");
    }
}

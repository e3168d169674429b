package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Elastic;
import io.crosslink.e2e.support.KafkaTopics;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionStatus;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario b: another system publishes the request on {@code connection-requests} (key = its requestId) with team-a's
 * bearer token in its {@code authorization} header; it becomes team-a's connection, reaches VERIFIED and works on the
 * deployments. Publishing it again changes nothing; reusing the requestId with another body becomes a REJECTED
 * connection.
 */
@Order(3)
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaRequestTest {
    private static final String ALIAS = "e2e-kafka";

    private KafkaTopics kafka;
    private ConnectService connect;
    private Elastic elastic;
    private final String requestId = "e2e-kafka-" + UUID.randomUUID();
    private ObjectNode record;
    private String id;
    private JsonNode verified;
    private String token;

    @BeforeAll
    void connectTo(E2eStack stack) {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        kafka = new KafkaTopics(stack.kafkaBootstrapServers());
        connect = new ConnectService(stack.connectUrl());
        elastic = new Elastic(stack);
        token = stack.tokens().token("team-a");
    }

    @Test
    @Order(1)
    void aPublishedRequestReachesVerified() {
        record = Requests.submitted(requestId, ALIAS);
        long begin = System.nanoTime();
        kafka.publishAll(List.of(Requests.authorized(requestId, record.toString(), token)));

        JsonNode found = connect.awaitOneByAlias(ALIAS, E2eStack.LOCAL_ID);
        id = found.path("id").asText();
        assertEquals(requestId, found.path("requestId").asText(), found.toString());
        assertEquals("team-a", found.path("team").asText(), found.toString());
        verified = connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        SagaChecks.printTimings("publication of request " + requestId + " (connection " + id + ")", verified,
                Duration.ofNanos(System.nanoTime() - begin));
        assertEquals(requestId, verified.path("requestId").asText());
    }

    @Test
    @Order(2)
    void itWorksOnTheDeployments() {
        assumeVerified();
        SagaChecks.keyOnRemoteHasExactlyTheRequestedAccess(elastic, id, ALIAS, record.path("access"));
        SagaChecks.localKeystoreHoldsTheCredentials(elastic, ALIAS);
        SagaChecks.localIsConnectedToRemote(elastic, ALIAS);
        SagaChecks.crossClusterSearchReturnsRemoteDocuments(elastic, ALIAS);
        SagaChecks.timelineHasEveryStepInOrder(verified);
    }

    @Test
    @Order(3)
    void theSameRecordAgainStartsNothingAndTheRequestIdWithAnotherBodyIsRejected() {
        assumeVerified();
        String otherAlias = ALIAS + "-reused";
        kafka.publishAll(List.of(Requests.authorized(requestId, record.toString(), token),
                Requests.authorized(requestId, Requests.submitted(requestId, otherAlias).toString(), token)));

        // Same key, same partition: connect-service has read the repeated record once the second one shows up.
        JsonNode reused = connect.awaitOneByAlias(otherAlias, E2eStack.LOCAL_ID);
        JsonNode rejected = connect.awaitStatus(reused.path("id").asText(), ConnectionStatus.REJECTED);
        assertFalse(rejected.path("reasons").isEmpty(), "a rejection names its reasons: " + rejected.toPrettyString());
        JsonNode page = connect.findByAlias(ALIAS, E2eStack.LOCAL_ID);
        assertEquals(1, page.path("total").asInt(), "the repeated record started another connection: " + page.toPrettyString());
        assertEquals(ConnectionStatus.VERIFIED.name(), page.path("items").get(0).path("status").asText());
    }

    private void assumeVerified() {
        assumeTrue(verified != null, "the request did not reach VERIFIED (see aPublishedRequestReachesVerified)");
    }
}

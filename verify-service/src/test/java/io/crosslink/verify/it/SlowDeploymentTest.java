package io.crosslink.verify.it;

import static io.crosslink.verify.support.TestEvents.remoteConnected;
import static io.crosslink.verify.support.TestEvents.requested;
import static io.crosslink.verify.support.TestEvents.searchAccess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.crosslink.verify.domain.Verification;
import io.crosslink.verify.domain.VerificationState;
import io.crosslink.verify.support.TestEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No deployment may stall another: verifications on a deployment whose Elasticsearch does not answer
 * ({@link SlowElasticsearch}) hold at most their deployment's share of the work dispatcher's workers, and a
 * verification on another deployment (the real node, {@link LocalElasticsearch}) completes meanwhile. Kafka,
 * PostgreSQL and Elasticsearch are real; the resources are the ones {@link VerificationFlowTest} declares.
 */
@QuarkusTest
@QuarkusTestResource(SlowElasticsearch.class)
class SlowDeploymentTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private SagaTopics topics;

    @BeforeEach
    void connectToKafka() {
        topics = new SagaTopics(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        SlowElasticsearch.release();
        topics.close();
    }

    @Test
    void aDeploymentThatDoesNotAnswerDelaysNoVerificationOnAnotherOne() {
        SlowElasticsearch.hold();
        List<String> stalled = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        int before = SlowElasticsearch.received();
        for (String id : stalled) {
            topics.send(requested(id, "stalled", searchAccess("demo-*"), SlowElasticsearch.DEPLOYMENT_ID));
            topics.send(remoteConnected(id, "stalled"));
        }
        // Workers are now waiting for the slow deployment's answers (as many as its per-deployment permits allow).
        await().atMost(PATIENCE).until(() -> SlowElasticsearch.received() >= before + 2);

        LocalElasticsearch.registerRemote("linked");
        String prompt = UUID.randomUUID().toString();
        topics.send(requested(prompt, "linked", searchAccess("demo-*"), TestEvents.LOCAL_ID));
        topics.send(remoteConnected(prompt, "linked"));

        ConnectionVerified verified = assertInstanceOf(ConnectionVerified.class,
                IncomingEvents.decode(topics.awaitVerifyEvent(prompt, PATIENCE)));
        assertEquals(1, verified.probeHits());
        // Verified while the slow deployment still had not answered a single call: nothing waited for it.
        for (String id : stalled) {
            assertEquals(List.of(), topics.verifyEventsSoFar(id), "no outcome yet for " + id);
            assertEquals(VerificationState.PENDING, verification(id).state);
        }

        // Once it answers (503, every time), the stalled verifications end on their own schedule: failed.
        SlowElasticsearch.release();
        for (String id : stalled) {
            VerificationFailed failed = assertInstanceOf(VerificationFailed.class,
                    IncomingEvents.decode(topics.awaitVerifyEvent(id, PATIENCE)));
            assertTrue(failed.failure().reason().contains("not proven within 20 s"), failed.failure().reason());
            assertEquals(VerificationState.FAILED, verification(id).state);
        }
    }

    private static Verification verification(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> Verification.<Verification>findById(connectionId));
    }
}

package io.crosslink.connect.messaging;

import static io.crosslink.connect.support.TestRequests.alias;
import static io.crosslink.connect.support.TestRequests.valid;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.support.Connections;
import io.crosslink.connect.support.ElasticStandIn;
import io.crosslink.connect.support.JwtTestResource;
import io.crosslink.connect.support.KafkaTestClient;
import io.crosslink.connect.support.StandIn;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.Topics;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.testsupport.KafkaTestResource;
import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Elasticsearch loses a freshly registered remote (its settings stay, {@code _remote/info} no longer lists it):
 * connect-service's watch sees it and registers the remote again, until the connection is verified.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "connect"))
@QuarkusTestResource(ElasticStandIn.class)
@QuarkusTestResource(JwtTestResource.class)
class RemoteWatchTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaTestClient kafka;
    final StandIn local = StandIn.of(ElasticStandIn.LOCAL);

    @BeforeEach
    void clients() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @Test
    void aLostRemoteIsRegisteredAgainWhileItAwaitsVerification() {
        String alias = alias("lost");
        String id = registered(alias);

        local.lose(alias);

        List<RemoteConnected> connected = kafka.awaitEvents(id, RemoteConnected.class, 2);
        assertEquals(alias, connected.get(1).alias());
        List<JsonNode> requests = local.requestsFor(alias);
        assertEquals(3, requests.size(), "registration, then null and write again: " + requests);
        CompensationPathsTest.assertRemoval(alias, requests.get(1));
        assertEquals(requests.get(0), requests.get(2), "the same settings written again");
        Connections.awaitTimeline(id, "RemoteConnected", 2);
        Connections.awaitStatus(id, "REMOTE_CONNECTED", "register_remote");

        // Watched again after the repair; verification ends the watch.
        await().atMost(Duration.ofSeconds(30)).until(() -> pending(id) == PendingWork.WATCH_REMOTE);
        verified(id, alias);
        await().atMost(Duration.ofSeconds(30)).until(() -> pending(id) == null);
        assertEquals(3, local.requestsFor(alias).size(), local.requestsFor(alias).toString());
    }

    @Test
    void aListedRemoteIsLeftAloneAndTheWatchEndsWithVerification() {
        String alias = alias("kept");
        String id = registered(alias);
        assertEquals(PendingWork.WATCH_REMOTE, pending(id));

        int reads = local.remoteInfoReads();
        await().atMost(Duration.ofSeconds(30)).until(() -> local.remoteInfoReads() >= reads + 3);
        assertEquals(1, local.requestsFor(alias).size(), "only the registration: " + local.requestsFor(alias));

        verified(id, alias);
        await().atMost(Duration.ofSeconds(30)).until(() -> pending(id) == null);
        assertEquals(1, local.requestsFor(alias).size(), local.requestsFor(alias).toString());
        assertEquals(List.of("ConnectionRequested", "KeyCreated", "KeystoreUpdated", "RemoteConnected",
                "ConnectionVerified"), Connections.events(id));
    }

    /** An API-key connection registered on L: REMOTE_CONNECTED, awaiting verification. */
    private String registered(String alias) {
        String id = Connections.requested(valid(alias));
        SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
        kafka.publish(Topics.KEY_EVENTS, new KeyCreated(UUID.randomUUID().toString(), id, Instant.now(), "key-" + id,
                "crosslink-" + id, box.seal("encoded-key-of-" + id, id)));
        Connections.awaitStatus(id, "KEY_CREATED", "create_key");
        kafka.publish(Topics.TRUST_EVENTS, new KeystoreUpdated(UUID.randomUUID().toString(), id, Instant.now(),
                ConnectionRequest.credentialsSetting(alias)));
        Connections.awaitStatus(id, "REMOTE_CONNECTED", "register_remote");
        return id;
    }

    private void verified(String id, String alias) {
        kafka.publish(Topics.VERIFY_EVENTS, new ConnectionVerified(UUID.randomUUID().toString(), id, Instant.now(),
                alias + ":demo-*", 3, 18, 1));
        Connections.awaitStatus(id, "VERIFIED", "verify");
    }

    private static PendingWork pending(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Connection.<Connection>findById(id).pending);
    }
}

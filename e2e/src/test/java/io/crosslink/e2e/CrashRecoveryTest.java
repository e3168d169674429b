package io.crosslink.e2e;

import static io.crosslink.e2e.support.Faults.fault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.deploy.CrosslinkService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A service killed with SIGKILL right after its Elastic call changed Elastic and before it committed (cloud-sim
 * holds the answer back), then restarted: the event is delivered again, and the saga ends VERIFIED with no
 * duplicate and no orphan.
 */
@Order(14)
class CrashRecoveryTest extends ReliabilityScenario {
    /** How long cloud-sim holds the answer of the step back after forwarding: the window to kill the service in. */
    private static final long HELD_BACK_MS = 8_000;

    @Test
    void keyServiceKilledAfterCreatingTheKeyLeavesNoOrphan() {
        String alias = "e2e-crash-key";
        String fault = faults.add(fault().deployment(E2eStack.REMOTE_ID).target("elasticsearch").method("POST")
                .path("/_security/cross_cluster/api_key").afterForwarding().latencyMs(HELD_BACK_MS).times(1));
        ObjectNode request = Requests.demo(alias);
        long begin = System.nanoTime();
        String id = connect.submit(request.toString());

        // The key exists on R while key-service waits for the answer: it has recorded and announced nothing.
        JsonNode orphan = Poll.until("the key of " + id + " on R", () -> {
            JsonNode keys = elastic.activeApiKeys(E2eStack.REMOTE_ID, "crosslink-" + id);
            return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0));
        }, () -> "no active key crosslink-" + id);
        long killed = System.nanoTime();
        stack.kill(CrosslinkService.KEY);
        assertEquals(1, faults.get(fault).path("hits").asInt(), "the key creation did not go through the held-back answer");
        assertTrue(events.findAll(KeyCreated.class, id).isEmpty(), "key-service announced the key before it was killed");
        stack.restart(CrosslinkService.KEY);
        long restarted = System.nanoTime();

        JsonNode verified = connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        System.out.printf("key-service killed %d ms after the POST, %s; restarted and ready in %d ms; VERIFIED %d ms after "
                + "the restart%n", (killed - begin) / 1_000_000, "orphan key " + orphan.path("id").asText(),
                (restarted - killed) / 1_000_000, since(restarted).toMillis());
        SagaChecks.printTimings("POST of connection " + id + " (key-service crashed)", verified, since(begin));

        JsonNode key = SagaChecks.keyOnRemoteHasExactlyTheRequestedAccess(elastic, id, alias, request.path("access"));
        assertNotEquals(orphan.path("id").asText(), key.path("id").asText(), "the key whose value was lost is in use");
        assertTrue(elastic.apiKey(E2eStack.REMOTE_ID, orphan.path("id").asText()).path("invalidated").asBoolean(),
                "the orphaned key is still valid on R");
        List<KeyCreated> created = events.findAll(KeyCreated.class, id);
        assertEquals(1, created.size(), "KeyCreated events: " + created);
        assertEquals(key.path("id").asText(), created.get(0).keyId());
        SagaChecks.localKeystoreHoldsTheCredentials(elastic, alias);
        SagaChecks.localIsConnectedToRemote(elastic, alias);
        SagaChecks.crossClusterSearchReturnsRemoteDocuments(elastic, alias);
    }

    @Test
    void trustServiceKilledAfterWritingTheKeystoreRecovers() {
        String alias = "e2e-crash-trust";
        String setting = ConnectionRequest.credentialsSetting(alias);
        String fault = faults.add(fault().deployment(E2eStack.LOCAL_ID).target("cloud-api").method("PATCH")
                .path(".*/keystore").afterForwarding().latencyMs(HELD_BACK_MS).times(1));
        ObjectNode request = Requests.demo(alias);
        long begin = System.nanoTime();
        String id = connect.submit(request.toString());

        Poll.until(setting + " in L's keystore", () -> elastic.keystore(E2eStack.LOCAL_ID).path("secrets").has(setting)
                ? Optional.of(true) : Optional.empty(), () -> "not there");
        long killed = System.nanoTime();
        stack.kill(CrosslinkService.TRUST);
        assertEquals(1, faults.get(fault).path("hits").asInt(), "the keystore PATCH did not go through the held-back answer");
        assertTrue(events.findAll(KeystoreUpdated.class, id).isEmpty(), "trust-service announced the keystore update before "
                + "it was killed");
        stack.restart(CrosslinkService.TRUST);
        long restarted = System.nanoTime();

        JsonNode verified = connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        System.out.printf("trust-service killed %d ms after the POST; restarted and ready in %d ms; VERIFIED %d ms after the "
                + "restart%n", (killed - begin) / 1_000_000, (restarted - killed) / 1_000_000, since(restarted).toMillis());
        SagaChecks.printTimings("POST of connection " + id + " (trust-service crashed)", verified, since(begin));

        List<KeystoreUpdated> updated = events.findAll(KeystoreUpdated.class, id);
        assertEquals(1, updated.size(), "KeystoreUpdated events: " + updated);
        SagaChecks.keyOnRemoteHasExactlyTheRequestedAccess(elastic, id, alias, request.path("access"));
        SagaChecks.localKeystoreHoldsTheCredentials(elastic, alias);
        SagaChecks.localIsConnectedToRemote(elastic, alias);
        SagaChecks.crossClusterSearchReturnsRemoteDocuments(elastic, alias);
        SagaChecks.timelineHasEveryStepInOrder(verified);
    }
}

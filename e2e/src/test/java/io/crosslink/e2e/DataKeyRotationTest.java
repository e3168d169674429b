package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.deploy.CrosslinkService;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.runtime.secret.SecretBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The data key rotates while sagas are in flight, by the README's procedure ("Rotating the data key"), each step a
 * rolling restart of key-service and trust-service with a new keyring ({@code crosslink.secrets.data-keys}):
 * <ol>
 * <li>with ring [k1]: batch A is sealed with k1 while trust-service is down, so its sealed keys wait in Kafka;</li>
 * <li>k2 joins at the end of every ring, [k1, k2]: trust-service opens A's k1-sealed keys; batch B is sealed with k1;</li>
 * <li>k2 moves to the front, [k2, k1]: trust-service opens B's k1-sealed keys (some, or all, after its restart); batch
 * C is sealed with k2;</li>
 * <li>once nothing sealed with k1 is in flight (every connection VERIFIED), k1 is dropped, [k2]: batch D goes through,
 * and every connection, k1's included, is disconnected (the undo never opens a sealed key).</li>
 * </ol>
 * Every saga ends VERIFIED: no keystore write ever met a key it could not open.
 */
@Order(22)
class DataKeyRotationTest extends ReliabilityScenario {
    private static final int PER_BATCH = 2;
    private final List<String> ids = new ArrayList<>();

    @Test
    void theDataKeyRotatesWhileSagasAreInFlight() {
        long begin = System.nanoTime();
        String k1 = stack.dataKeys().get(0);
        String k2 = SecretBox.newDataKey();
        String id1 = SecretBox.fromBase64(k1).keyId();
        String id2 = SecretBox.fromBase64(k2).keyId();

        // [k1]: batch A is sealed with k1; trust-service is down, so none of it is opened yet.
        stack.service(CrosslinkService.TRUST).stop();
        Map<String, String> batchA = submit("a");
        Map<String, String> sealedA = awaitSealed(batchA.keySet());
        assertTrue(sealedA.values().stream().allMatch(id1::equals), "batch A sealed with " + sealedA + ", not " + id1);

        // Step 1: k2 at the end of every ring (trust-service first: it may open k2 before anyone seals with it).
        stack.restartWithDataKeys(CrosslinkService.TRUST, List.of(k1, k2));
        stack.restartWithDataKeys(CrosslinkService.KEY, List.of(k1, k2));
        Map<String, String> batchB = submit("b");
        Map<String, String> sealedB = awaitSealed(batchB.keySet());
        assertTrue(sealedB.values().stream().allMatch(id1::equals), "batch B sealed with " + sealedB + ", not " + id1
                + " (k1 still leads the ring)");

        // Step 2: k2 to the front; B's keystore writes are under way or waiting while trust-service restarts.
        stack.restartWithDataKeys(CrosslinkService.KEY, List.of(k2, k1));
        stack.restartWithDataKeys(CrosslinkService.TRUST, List.of(k2, k1));
        Map<String, String> batchC = submit("c");
        Map<String, String> sealedC = awaitSealed(batchC.keySet());
        assertTrue(sealedC.values().stream().allMatch(id2::equals), "batch C sealed with " + sealedC + ", not " + id2);

        for (String id : ids) {
            connect.awaitStatus(id, ConnectionStatus.VERIFIED);
            assertTrue(events.findAll(KeystoreUpdateFailed.class, id).isEmpty(), "connection " + id
                    + ": a keystore write failed: " + events.findAll(KeystoreUpdateFailed.class, id));
        }
        long rotated = System.nanoTime();

        // Step 3: nothing sealed with k1 is in flight any more: drop it.
        stack.restartWithDataKeys(CrosslinkService.TRUST, List.of(k2));
        stack.restartWithDataKeys(CrosslinkService.KEY, List.of(k2));
        Map<String, String> batchD = submit("d");
        assertEquals(Set.of(id2), Set.copyOf(awaitSealed(batchD.keySet()).values()), "batch D's key ids");
        for (String id : batchD.keySet()) {
            connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        }

        for (String id : ids) {
            assertEquals(202, connect.delete(id).status(), "DELETE of " + id);
        }
        for (String id : ids) {
            connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
        }
        System.out.printf("data key rotated %s -> %s over %d sagas in flight: all VERIFIED %.1f s after the first POST, "
                + "k1 dropped and every connection disconnected %.1f s later%n", id1, id2, ids.size(),
                (rotated - begin) / 1e9, seconds(rotated));
    }

    /** Submits a batch of demo connections (aliases {@code e2e-rotate-<batch>-<n>}); answers id → alias. */
    private Map<String, String> submit(String batch) {
        Map<String, String> submitted = new LinkedHashMap<>();
        for (int n = 0; n < PER_BATCH; n++) {
            String alias = "e2e-rotate-" + batch + "-" + n;
            String id = connect.submit(Requests.demo(alias).toString());
            ids.add(id);
            submitted.put(id, alias);
        }
        return submitted;
    }

    /** Waits for each connection's KeyCreated; answers id → the key id its encoded key is sealed with. */
    private Map<String, String> awaitSealed(Set<String> connections) {
        Map<String, String> sealed = new LinkedHashMap<>();
        for (String id : connections) {
            KeyCreated created = Poll.until("KeyCreated of " + id, () -> events.find(KeyCreated.class, id),
                    () -> "no KeyCreated yet; status " + connect.document(id).path("status").asText());
            sealed.put(id, created.encodedKey().keyId());
        }
        return sealed;
    }

    /** Whatever failed: the services run again and no connection of this test is left. */
    @AfterEach
    void disconnectWhatIsLeft() {
        for (CrosslinkService service : CrosslinkService.values()) {
            stack.ensureRunning(service);
        }
        ids.forEach(this::disconnectIfStillThere);
    }
}

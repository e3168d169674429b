package io.crosslink.e2e;

import static io.crosslink.e2e.support.Faults.fault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.ElasticState;
import io.crosslink.e2e.support.Faults;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * One test per compensation path: a forward step fails for real (cloud-sim answers for Elastic, or the key is
 * invalidated on R), connect-service starts compensation, the undo steps run in reverse order of the steps, each by
 * the service that did the step, and the connection ends COMPENSATED with R's active keys, L's keystore and L's
 * cluster settings exactly as they were before the request.
 */
@Order(10)
class CompensationTest extends ReliabilityScenario {

    @Test
    void aKeyCreationRefusedByTheRemoteIsCompensated() {
        ElasticState before = ElasticState.capture(elastic);
        String fault = faults.add(fault().deployment(E2eStack.REMOTE_ID).target("elasticsearch").method("POST")
                .path("/_security/cross_cluster/api_key")
                .status(400, Faults.elasticError("illegal_argument_exception", "e2e: key creation refused", 400)));

        Compensated run = compensate("e2e-comp-key");

        assertTrue(faults.get(fault).path("hits").asInt() >= 1, "the key creation never reached cloud-sim");
        SagaChecks.failedStep(run.document, "KeyCreationFailed", "illegal_argument_exception", 400);
        assertTrue(run.events.stream().noneMatch(KeyCreated.class::isInstance), "a key was announced: " + run.events);
        // Nothing was done, so every undo found nothing to undo.
        assertFalse(SagaChecks.undoEvent(run.events, RemoteRemoved.class).removed(), "the remote was never registered");
        assertFalse(SagaChecks.undoEvent(run.events, KeystoreEntryRemoved.class).removed(), "the keystore was never written");
        KeyInvalidated invalidated = SagaChecks.undoEvent(run.events, KeyInvalidated.class);
        assertFalse(invalidated.removed(), "no key was created: " + invalidated);
        assertTrue(invalidated.keyIds().isEmpty(), "no key was created: " + invalidated);
        assertEquals(before, ElasticState.capture(elastic), "Elastic after the compensation");
    }

    @Test
    void aKeystoreUpdateRefusedByTheCloudApiIsCompensated() {
        ElasticState before = ElasticState.capture(elastic);
        // Once: removing the entry is a keystore PATCH too, and must go through.
        String fault = faults.add(fault().deployment(E2eStack.LOCAL_ID).target("cloud-api").method("PATCH")
                .path(".*/keystore").times(1)
                .status(400, Faults.cloudError("root.invalid_json_request", "e2e: keystore update refused")));

        Compensated run = compensate("e2e-comp-keystore");

        assertEquals(1, faults.get(fault).path("hits").asInt(), "the keystore PATCH never reached cloud-sim");
        SagaChecks.failedStep(run.document, "KeystoreUpdateFailed", "root.invalid_json_request", 400);
        assertFalse(SagaChecks.undoEvent(run.events, RemoteRemoved.class).removed(), "the remote was never registered");
        keyWasInvalidated(run);
        assertEquals(before, ElasticState.capture(elastic), "Elastic after the compensation");
    }

    @Test
    void aRemoteRegistrationRefusedByTheLocalDeploymentIsCompensated() {
        ElasticState before = ElasticState.capture(elastic);
        // Once: removing the remote is a PUT _cluster/settings too, and must go through.
        String fault = faults.add(fault().deployment(E2eStack.LOCAL_ID).target("elasticsearch").method("PUT")
                .path("/_cluster/settings").times(1)
                .status(400, Faults.elasticError("illegal_argument_exception", "e2e: remote registration refused", 400)));

        Compensated run = compensate("e2e-comp-remote");

        assertEquals(1, faults.get(fault).path("hits").asInt(), "the registration never reached cloud-sim");
        SagaChecks.failedStep(run.document, "RemoteRegistrationFailed", "illegal_argument_exception", 400);
        assertTrue(SagaChecks.undoEvent(run.events, KeystoreEntryRemoved.class).removed(),
                "the keystore entry was written (KeystoreUpdated) and had to be removed");
        keyWasInvalidated(run);
        assertEquals(before, ElasticState.capture(elastic), "Elastic after the compensation");
    }

    /**
     * The key is invalidated directly on R as soon as it exists, so the keystore gets a dead key, the remote is
     * registered with it, and the real handshake fails: verify-service gives up at its deadline.
     */
    @Test
    void aVerificationThatCannotSucceedIsCompensated() {
        ElasticState before = ElasticState.capture(elastic);
        String alias = "e2e-comp-verify";
        long begin = System.nanoTime();
        String id = connect.submit(Requests.demo(alias).toString());

        String keyName = "crosslink-" + id;
        JsonNode key = Poll.until("the key of " + id + " on R", () -> {
            JsonNode keys = elastic.activeApiKeys(E2eStack.REMOTE_ID, keyName);
            return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0));
        }, () -> "no active key " + keyName);
        Http.Response invalidated = elastic.viaServiceUrl(E2eStack.REMOTE_ID, "DELETE", "/_security/api_key",
                "{\"name\":\"" + keyName + "\"}");
        assertEquals(200, invalidated.status(), invalidated.toString());
        assertEquals(key.path("id").asText(), invalidated.json().path("invalidated_api_keys").path(0).asText(),
                invalidated.toString());
        System.out.printf("key %s of %s invalidated on R %d ms after the POST, connection %s%n", key.path("id").asText(), id,
                since(begin).toMillis(), connect.document(id).path("status").asText());

        Compensated run = awaitCompensated(id, begin);

        SagaChecks.failedStep(run.document, "VerificationFailed", null, null);
        assertTrue(run.events.stream().anyMatch(KeystoreUpdated.class::isInstance), "the keystore step ran: " + run.events);
        assertTrue(SagaChecks.undoEvent(run.events, RemoteRemoved.class).removed(), "the remote was registered");
        assertTrue(SagaChecks.undoEvent(run.events, KeystoreEntryRemoved.class).removed(), "the keystore entry was written");
        assertEquals(before, ElasticState.capture(elastic), "Elastic after the compensation");
    }

    /** The key was created (KeyCreated) and its compensation invalidated exactly that key. */
    private void keyWasInvalidated(Compensated run) {
        KeyCreated created = run.events.stream().filter(KeyCreated.class::isInstance).map(KeyCreated.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no KeyCreated: " + run.events));
        KeyInvalidated invalidated = SagaChecks.undoEvent(run.events, KeyInvalidated.class);
        assertTrue(invalidated.removed(), "the key was created and had to be invalidated: " + invalidated);
        assertEquals(List.of(created.keyId()), invalidated.keyIds(), "the invalidated keys");
        assertTrue(elastic.apiKey(E2eStack.REMOTE_ID, created.keyId()).path("invalidated").asBoolean(),
                "key " + created.keyId() + " is still valid on R");
    }

    private Compensated compensate(String alias) {
        long begin = System.nanoTime();
        return awaitCompensated(connect.submit(Requests.demo(alias).toString()), begin);
    }

    private Compensated awaitCompensated(String id, long begin) {
        JsonNode document = connect.awaitStatus(id, ConnectionStatus.COMPENSATED);
        SagaChecks.printTimings("POST of connection " + id, document, since(begin));
        List<ConnectionEvent> events = this.events.of(id);
        SagaChecks.undoRanInReverseOrder(document, "failure", events);
        return new Compensated(document, events);
    }

    private record Compensated(JsonNode document, List<ConnectionEvent> events) {
    }
}

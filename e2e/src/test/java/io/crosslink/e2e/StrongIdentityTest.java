package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.ElasticState;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.elastic.ElasticVersion;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StrongIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Strong identity for API-key remotes (#16, Elasticsearch 9.3+ on both sides), on real nodes: cloud-sim places each
 * node's {@code node.crt} / {@code node.key} (DN {@code CN=<node>.node.<cluster id>.cluster.<scope id>}, as Elastic
 * Cloud Hosted does) and the CA that issued them ({@code internal_tls_ca.crt}).
 * <ul>
 * <li>the right signer: local → remote verifies; R's key carries L's DN pattern, L signs with its node certificate,
 * R lists the CA; a disconnect takes all of it back;</li>
 * <li>a wrong signer: remote's node certificate names another cluster (cloud-sim's impostor); remote → local is
 * refused by local's key check, reported as {@code certificate_identity_mismatch}, and compensated to nothing;</li>
 * <li>a deployment older than 9.3 on either side: REJECTED naming {@code certificateIdentity}.</li>
 * </ul>
 * Tagged {@code matrix}: it runs in the {@code version-matrix-smoke} execution (local and remote on the newest 9.x, peer
 * on 8.19), and in {@code deploy/matrix/run.sh}'s stacks where the versions allow.
 */
@Tag("matrix")
@Order(96)
class StrongIdentityTest extends ReliabilityScenario {
    @Test
    void theRightSignerVerifiesAndADisconnectTakesEveryPieceBack() throws Throwable {
        SimDeployment local = stack.deployment(E2eStack.LOCAL_ID);
        SimDeployment remote = stack.deployment(E2eStack.REMOTE_ID);
        assumeStrongIdentity(local, remote);
        VersionMatrixTest.recorded(local, remote, "strong identity: right signer", () -> rightSigner(local, remote));
    }

    /**
     * Elasticsearch hides every signing setting from reads (L's {@code signing.*}, R's CA list: filtered like TLS
     * settings), so what the saga set and undid is proven by behaviour: L's requests are refused once unsigned, and
     * after the disconnect R no longer trusts L's CA for a key of its own.
     */
    private void rightSigner(SimDeployment local, SimDeployment remote) {
        String alias = "e2e-signed";
        ElasticState before = ElasticState.capture(elastic, local.id(), remote.id());
        String id = connect.submit(signed(alias, local, remote));
        try {
            JsonNode verified = connect.awaitStatus(id, ConnectionStatus.VERIFIED);
            SagaChecks.timelineHasEveryStepInOrder(verified);
            SagaChecks.crossClusterSearchReturnsDocumentsOf(elastic, local.id(), alias, remote.name());
            JsonNode key = elastic.activeApiKeys(remote.id(), "crosslink-" + id).get(0);
            if (key.has("certificate_identity")) {
                assertEquals(StrongIdentity.patternFor(local.clusterId()), key.path("certificate_identity").asText(),
                        key.toString());
            }
            assertUnsignedRequestsAreRefused(local, alias);

            assertEquals(202, connect.delete(id).status());
            connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
            SagaChecks.nothingLeftOnEitherSide(elastic, local.id(), remote.id(), id, alias);
            assertEquals(before, ElasticState.capture(elastic, local.id(), remote.id()), "after the disconnect");
            assertRemoteNoLongerTrustsTheSigner(local, remote);
        } finally {
            disconnectIfStillThere(id);
        }
    }

    @Test
    void aSignerWhoseDnNamesAnotherClusterIsRefusedAndCompensated() throws Throwable {
        SimDeployment impostor = stack.deployment(E2eStack.REMOTE_ID);
        SimDeployment target = stack.deployment(E2eStack.LOCAL_ID);
        assumeStrongIdentity(impostor, target);
        VersionMatrixTest.recorded(impostor, target, "strong identity: wrong signer refused",
                () -> wrongSigner(impostor, target));
    }

    private void wrongSigner(SimDeployment impostor, SimDeployment target) {
        String alias = "e2e-impostor";
        ElasticState before = ElasticState.capture(elastic, impostor.id(), target.id());
        Map<String, String> targetSettingsBefore = elastic.persistentRemoteSettings(target.id());
        String subject = impersonate(impostor, "0ther0c1u5ter0000000000000000000");
        String id = null;
        try {
            assertTrue(subject.contains(".node.0ther0c1u5ter0000000000000000000.cluster."), subject);
            id = connect.submit(signed(alias, impostor, target));
            JsonNode compensated = connect.awaitStatus(id, ConnectionStatus.COMPENSATED);
            JsonNode failed = SagaChecks.failedStep(compensated, "VerificationFailed", "certificate_identity_mismatch",
                    null);
            assertTrue(failed.path("errorReason").asText().contains("does not match API Key certificate identity"
                    + " pattern"), failed.toString());
            List<ConnectionEvent> all = events.of(id);
            SagaChecks.undoRanInReverseOrder(compensated, "failure", all);
            assertTrue(SagaChecks.undoEvent(all, KeystoreEntryRemoved.class).removed(), "the keystore entry was written");
            SagaChecks.nothingLeftOnEitherSide(elastic, impostor.id(), target.id(), id, alias);
            assertEquals(before, ElasticState.capture(elastic, impostor.id(), target.id()), "after the compensation");
            assertEquals(targetSettingsBefore, elastic.persistentRemoteSettings(target.id()),
                    "the target's signing CAs after the compensation");
        } finally {
            restore(impostor);
            if (id != null) {
                disconnectIfStillThere(id);
            }
        }
    }

    @Test
    void aDeploymentBefore93IsRejectedNamingTheField() throws Throwable {
        List<SimDeployment> older = Stream.of(E2eStack.LOCAL_ID, E2eStack.REMOTE_ID, E2eStack.PEER_ID)
                .map(stack::deployment).filter(deployment -> !atLeast93(deployment)).toList();
        assumeTrue(!older.isEmpty(), "every deployment runs 9.3 or later");
        SimDeployment old = older.get(0);
        SimDeployment other = stack.deployment(old.id().equals(E2eStack.REMOTE_ID) ? E2eStack.LOCAL_ID
                : E2eStack.REMOTE_ID);
        VersionMatrixTest.recorded(old, other, "strong identity: before 9.3 rejected",
                () -> rejectedBefore93(old, other));
    }

    private void rejectedBefore93(SimDeployment old, SimDeployment other) {
        String id = connect.submit(signed("e2e-signed-old", old, other));
        JsonNode rejected = connect.awaitStatus(id, ConnectionStatus.REJECTED);
        JsonNode reason = rejected.path("reasons").get(0);
        assertEquals("certificateIdentity", reason.path("field").asText(), rejected.toPrettyString());
        assertTrue(reason.path("reason").asText().contains(old.version()), reason.toString());
        assertFalse(elastic.keystore(old.id()).path("secrets").has("cluster.remote.e2e-signed-old.credentials"));
    }

    /** Without L's signature R's key refuses: the key checks, and L was signing (its settings nulled for a moment). */
    private void assertUnsignedRequestsAreRefused(SimDeployment local, String alias) {
        assertEquals(200, elastic.elasticsearch(local.id(), "PUT", "/_cluster/settings", signing(alias, null, null))
                .status());
        try {
            JsonNode resolved = elastic.resolveCluster(local.id(), alias);
            assertFalse(resolved.path("connected").asBoolean(), resolved.toString());
            assertTrue(resolved.path("error").asText().contains("requires certificate identity"), resolved.toString());
        } finally {
            assertEquals(200, elastic.elasticsearch(local.id(), "PUT", "/_cluster/settings",
                    signing(alias, "node.crt", "node.key")).status());
        }
    }

    /**
     * R's CA list left with the last connection: a key made by hand on R for L's DN, L signing as before, is refused
     * because R cannot verify the signature's CA ("Failed to verify cross cluster api key signature certificate").
     */
    private void assertRemoteNoLongerTrustsTheSigner(SimDeployment local, SimDeployment remote) {
        String alias = "e2e-signed-probe";
        String credentials = "cluster.remote." + alias + ".credentials";
        String keyPath = "/deployments/" + local.id() + "/elasticsearch/" + local.refId() + "/keystore";
        JsonNode key = json(elastic.elasticsearch(remote.id(), "POST", "/_security/cross_cluster/api_key",
                "{\"name\":\"e2e-signed-probe\",\"access\":{\"search\":[{\"names\":[\"*\"]}]},"
                        + "\"certificate_identity\":" + quoted(StrongIdentity.patternFor(local.clusterId())) + "}"));
        try {
            Http.Response patched = elastic.cloudApi(local.environment(), "PATCH", keyPath, "{\"secrets\":{\""
                    + credentials + "\":{\"value\":\"" + key.path("encoded").asText() + "\",\"as_file\":false}}}");
            assertEquals(2, patched.status() / 100, patched.toString());
            elastic.registerProxyRemote(local.id(), alias, remote.endpoint() + ":9443", remote.endpoint());
            assertEquals(200, elastic.elasticsearch(local.id(), "PUT", "/_cluster/settings",
                    signing(alias, "node.crt", "node.key")).status());
            JsonNode[] last = new JsonNode[1];
            JsonNode refused = Poll.until("R refuses the signature of " + alias, Duration.ofSeconds(60), () -> {
                last[0] = elastic.resolveCluster(local.id(), alias);
                assertFalse(last[0].path("connected").asBoolean(), "R still trusts L's CA: " + last[0]);
                return Optional.of(last[0]).filter(resolved -> resolved.path("error").asText()
                        .contains("signature certificate"));
            }, () -> String.valueOf(last[0]));
            assertTrue(refused.path("error").asText().contains("Failed to verify cross cluster api key signature"),
                    refused.toString());
        } finally {
            elastic.elasticsearch(local.id(), "PUT", "/_cluster/settings", signing(alias, null, null));
            elastic.removeRemote(local.id(), alias);
            elastic.cloudApi(local.environment(), "PATCH", keyPath,
                    "{\"secrets\":{\"" + credentials + "\":{\"as_file\":false}}}");
            elastic.elasticsearch(remote.id(), "DELETE", "/_security/api_key",
                    "{\"ids\":[" + quoted(key.path("id").asText()) + "]}");
        }
    }

    /** L's signing settings of {@code alias}: both set, or both null. */
    private static String signing(String alias, String certificate, String key) {
        ObjectNode persistent = EventCodec.mapper().createObjectNode();
        ObjectNode settings = persistent.putObject("persistent");
        settings.put("cluster.remote." + alias + ".signing.certificate", certificate);
        settings.put("cluster.remote." + alias + ".signing.key", key);
        return persistent.toString();
    }

    private static String quoted(String text) {
        return EventCodec.mapper().getNodeFactory().textNode(text).toString();
    }

    private static JsonNode json(Http.Response response) {
        assertEquals(200, response.status(), response.toString());
        return response.json();
    }

    private static String signed(String alias, SimDeployment local, SimDeployment remote) {
        ObjectNode request = Requests.apiKey(alias, local, remote);
        request.put("certificateIdentity", true);
        return request.toString();
    }

    private String impersonate(SimDeployment deployment, String clusterId) {
        Http.Response response = Http.send("PUT", signingIdentityUrl(deployment), "{\"clusterId\":\"" + clusterId + "\"}",
                "Content-Type", "application/json");
        assertEquals(200, response.status(), response.toString());
        return response.json().path("subject").asText();
    }

    private void restore(SimDeployment deployment) {
        Http.Response response = Http.send("DELETE", signingIdentityUrl(deployment), null);
        assertEquals(200, response.status(), response.toString());
    }

    private String signingIdentityUrl(SimDeployment deployment) {
        return stack.cloudApiUrl() + "/sim/deployments/" + deployment.id() + "/signing-identity";
    }

    private static void assumeStrongIdentity(SimDeployment local, SimDeployment remote) {
        assumeTrue(atLeast93(local) && atLeast93(remote), "strong identity needs 9.3+ on both sides: "
                + local.name() + " runs " + local.version() + ", " + remote.name() + " runs " + remote.version());
    }

    private static boolean atLeast93(SimDeployment deployment) {
        return ElasticVersion.atLeast(deployment.version(), 9, 3);
    }
}

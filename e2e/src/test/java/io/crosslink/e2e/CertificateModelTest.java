package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.Faults;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.TrustEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The TLS-certificate model across environments (issue #6): local (ECE installation) and remote (Elastic Cloud
 * organization) have separate CAs and do not trust each other until the saga writes a {@code direct} trust entry on
 * each side; the connection then works over transport TLS, and disconnecting or compensating leaves both sides' trust
 * settings exactly as they were. An allow-list naming another cluster really blocks the handshake.
 */
@Order(17)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertificateModelTest extends ReliabilityScenario {
    private static final String LOCAL_CLUSTER = "e5f60718293a4b5cc0ffee00a1b2c3d4";
    private static final String REMOTE_CLUSTER = "abcdef01234567890b5e55ed12345678";
    private static final String ECE_INSTALLATION = "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87";
    private static final String ESS_ORGANIZATION = "4285051796";
    /** Elastic Cloud's proxy port for transport (the certificate model), as the remote's document reports it. */
    private static final int REMOTE_TRANSPORT_PORT = 9400;

    @Test
    @Order(1)
    void crossEnvironmentConnectionTrustsEachSideAndDisconnectsToTheFormerTrust() {
        String alias = "e2e-cert-cross";
        assertFalse(canConnectToRemoteBeforeTheSaga(), "separate CAs: local cannot connect to remote before the saga");
        JsonNode localBefore = elastic.trust(E2eStack.LOCAL_ID);
        JsonNode remoteBefore = elastic.trust(E2eStack.REMOTE_ID);

        long begin = System.nanoTime();
        String id = connect.submit(Requests.certificateToRemote(alias).toString());
        try {
            verifiedThenDisconnected(id, alias, localBefore, remoteBefore, begin);
        } finally {
            disconnectIfStillThere(id);
        }
    }

    private void verifiedThenDisconnected(String id, String alias, JsonNode localBefore, JsonNode remoteBefore, long begin) {
        JsonNode verified = connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        SagaChecks.printTimings("POST of certificate-model connection " + id, verified, since(begin));

        SagaChecks.certificateTimelineHasEveryStepInOrder(verified);
        JsonNode info = elastic.remoteInfo(E2eStack.LOCAL_ID).path(alias);
        assertTrue(info.path("connected").asBoolean(), "_remote/info of " + alias + ": " + info);
        assertEquals("proxy", info.path("mode").asText(), info.toString());
        assertEquals(E2eStack.REMOTE_ADDRESS + ":" + REMOTE_TRANSPORT_PORT, info.path("proxy_address").asText(),
                "the transport port, not the remote cluster server's: " + info);
        assertFalse(info.has("cluster_credentials"), "no API key in the certificate model: " + info);
        SagaChecks.crossClusterSearchReturnsRemoteDocuments(elastic, alias);

        JsonNode localEntry = oneNewDirectEntry(localBefore, elastic.trust(E2eStack.LOCAL_ID), "local");
        assertEquals(ESS_ORGANIZATION, localEntry.path("scope_id").asText(), "local trusts the organization's: " + localEntry);
        assertEquals(List.of(REMOTE_CLUSTER), texts(localEntry.path("trust_allowlist")), "only the remote's cluster: " + localEntry);
        JsonNode remoteEntry = oneNewDirectEntry(remoteBefore, elastic.trust(E2eStack.REMOTE_ID), "remote");
        assertEquals(ECE_INSTALLATION, remoteEntry.path("scope_id").asText(), "remote trusts the installation's: " + remoteEntry);
        assertEquals(List.of(LOCAL_CLUSTER), texts(remoteEntry.path("trust_allowlist")), "only local's cluster: " + remoteEntry);
        TrustUpdated updated = events.find(TrustUpdated.class, id).orElseThrow(() -> new AssertionError("no TrustUpdated"));
        assertEquals(2, updated.edits().size(), "an edit on each side: " + updated);
        assertTrue(updated.edits().stream().allMatch(edit -> edit.created() && TrustEdit.DIRECT.equals(edit.entry())),
                "each side got a new direct entry: " + updated);

        long deleted = System.nanoTime();
        assertEquals(202, connect.delete(id).status());
        JsonNode disconnected = connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
        SagaChecks.printTimings("DELETE of certificate-model connection " + id, disconnected, since(deleted));
        List<ConnectionEvent> all = events.of(id);
        SagaChecks.certificateUndoRan(disconnected, "disconnect", all);
        assertTrue(SagaChecks.undoEvent(all, RemoteRemoved.class).removed(), "the remote was registered");
        assertTrue(SagaChecks.undoEvent(all, TrustRemoved.class).removed(), "the trust entries were written");
        assertEquals(localBefore, elastic.trust(E2eStack.LOCAL_ID), "local's trust after the disconnect");
        assertEquals(remoteBefore, elastic.trust(E2eStack.REMOTE_ID), "remote's trust after the disconnect");
        assertTrue(elastic.persistentRemoteSettings(E2eStack.LOCAL_ID).keySet().stream()
                .noneMatch(setting -> setting.startsWith("cluster.remote." + alias + ".")), "the alias is gone from local");
    }

    /**
     * connect-service's read of the remote answers (once) with another cluster id, so trust-service allow-lists that id
     * on local: local refuses the remote's node certificate in the real handshake, verification fails with the cause,
     * and the compensation restores both sides' trust.
     */
    @Test
    @Order(2)
    void anAllowListNamingTheWrongClusterIsRefusedInTheHandshakeAndCompensated() {
        String alias = "e2e-cert-wrong";
        String wrongCluster = "0123456789abcdef0123456789abcdef";
        JsonNode localBefore = elastic.trust(E2eStack.LOCAL_ID);
        JsonNode remoteBefore = elastic.trust(E2eStack.REMOTE_ID);
        ObjectNode lying = elastic.deploymentWithSettings(E2eStack.REMOTE_ID).deepCopy();
        ObjectNode resource = (ObjectNode) lying.path("resources").path("elasticsearch").path(0);
        resource.put("id", wrongCluster);
        ((ObjectNode) resource.path("info")).put("cluster_id", wrongCluster);
        String fault = faults.add(Faults.fault().deployment(E2eStack.REMOTE_ID).target("cloud-api").method("GET")
                .path("/api/v1/deployments/" + E2eStack.REMOTE_ID).status(200, lying.toString()).times(1));

        long begin = System.nanoTime();
        // skip_unavailable false: Elasticsearch then names the TLS cause in the failed search (with true it only skips R).
        String id = connect.submit(Requests.certificateToRemote(alias).put("skipUnavailable", false).toString());
        JsonNode compensated;
        try {
            compensated = connect.awaitStatus(id, ConnectionStatus.COMPENSATED);
        } finally {
            disconnectIfStillThere(id);
        }
        SagaChecks.printTimings("POST of certificate-model connection " + id + " (wrong allow-list)", compensated, since(begin));
        assertEquals(1, faults.get(fault).path("hits").asInt(), "the validation read got the wrong cluster id");

        List<ConnectionEvent> all = events.of(id);
        ConnectionRequested requested = events.find(ConnectionRequested.class, id)
                .orElseThrow(() -> new AssertionError("no ConnectionRequested: " + all));
        assertEquals(wrongCluster, requested.remote().clusterId(), "the saga carries the cluster id read: " + requested);
        TrustUpdated updated = events.find(TrustUpdated.class, id).orElseThrow(() -> new AssertionError("no TrustUpdated: " + all));
        assertTrue(updated.edits().stream().anyMatch(edit -> edit.deploymentId().equals(E2eStack.LOCAL_ID) && !edit.noop()),
                "local's trust was written (with the wrong allow-list): " + updated);
        assertTrue(all.stream().anyMatch(RemoteConnected.class::isInstance), "the remote was registered before verification: " + all);
        // Local's trust restrictions name only the wrong cluster: local refuses the remote's node certificate.
        JsonNode failed = SagaChecks.failedStep(compensated, "VerificationFailed", "trust_restriction_mismatch", null);
        String reason = failed.path("errorReason").asText().toLowerCase(Locale.ROOT);
        assertTrue(reason.contains("certificate") || reason.contains("trust"), "the cause is named: " + failed);
        System.out.println("verification of " + id + " failed as expected: " + failed);

        SagaChecks.certificateUndoRan(compensated, "failure", all);
        assertEquals(localBefore, elastic.trust(E2eStack.LOCAL_ID), "local's trust after the compensation");
        assertEquals(remoteBefore, elastic.trust(E2eStack.REMOTE_ID), "remote's trust after the compensation");
        assertTrue(elastic.persistentRemoteSettings(E2eStack.LOCAL_ID).keySet().stream()
                .noneMatch(setting -> setting.startsWith("cluster.remote." + alias + ".")), "the alias is gone from local");
    }

    /**
     * A throwaway remote on local in proxy mode on the remote's transport port: whether the TLS handshake succeeds
     * ({@code _resolve/cluster} connects actively). Removed again, whatever the answer.
     */
    private boolean canConnectToRemoteBeforeTheSaga() {
        String probe = "e2e-cert-probe";
        elastic.registerProxyRemote(E2eStack.LOCAL_ID, probe, E2eStack.REMOTE_ADDRESS + ":" + REMOTE_TRANSPORT_PORT,
                E2eStack.REMOTE_ADDRESS);
        try {
            JsonNode resolved = elastic.resolveCluster(E2eStack.LOCAL_ID, probe);
            System.out.println("before the saga, local -> remote over transport TLS: " + resolved);
            return resolved.path("connected").asBoolean();
        } finally {
            elastic.removeRemote(E2eStack.LOCAL_ID, probe);
        }
    }

    /**
     * {@code after} is {@code before} plus exactly one {@code direct} entry (every earlier entry unchanged, no accounts
     * entry touched): returns the new one, checked to trust only what the request's default asks.
     */
    private static JsonNode oneNewDirectEntry(JsonNode before, JsonNode after, String side) {
        assertEquals(before.path("accounts"), after.path("accounts"), side + "'s accounts entries are untouched: " + after);
        List<JsonNode> added = new ArrayList<>();
        after.path("direct").forEach(added::add);
        before.path("direct").forEach(entry -> assertTrue(added.remove(entry), side + " kept " + entry + ": " + after));
        assertEquals(1, added.size(), side + "'s new direct entries: " + added);
        JsonNode entry = added.get(0);
        assertFalse(entry.path("trust_all").asBoolean(), "trust.all defaults to false: " + entry);
        assertEquals(1, entry.path("certificates").size(), "the peer's CA: " + entry);
        return entry;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}

package io.crosslink.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.ConnectionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a VERIFIED connection must have done on the real deployments, checked the way an operator would. */
public final class SagaChecks {
    /** The happy path's events, in the order the timeline must show them. */
    public static final List<String> STEP_EVENTS = List.of("ConnectionRequested", "KeyCreated", "KeystoreUpdated",
            "RemoteConnected", "ConnectionVerified");

    private SagaChecks() {
    }

    /**
     * R has exactly one active key {@code crosslink-<id>}: a cross-cluster key with exactly the requested access
     * and Crosslink's metadata. Returns it.
     */
    public static JsonNode keyOnRemoteHasExactlyTheRequestedAccess(Elastic elastic, String connectionId, String alias,
            JsonNode requestedAccess) {
        JsonNode keys = elastic.activeApiKeys(E2eStack.REMOTE_ID, "crosslink-" + connectionId);
        assertEquals(1, keys.size(), "active keys named crosslink-" + connectionId + " on the remote: " + keys);
        JsonNode key = keys.get(0);
        assertEquals("cross_cluster", key.path("type").asText(), key.toPrettyString());
        assertEquals(normalised(requestedAccess), key.path("access"), "the key's access: " + key.toPrettyString());

        JsonNode role = key.path("role_descriptors").path("cross_cluster");
        // Elasticsearch derives the role (8.19 adds monitor_enrich to search keys): search only, no replication.
        assertTrue(texts(role.path("cluster")).contains("cross_cluster_search"), "cluster privileges: " + role);
        assertFalse(texts(role.path("cluster")).contains("cross_cluster_replication"), "cluster privileges: " + role);
        assertEquals(requestedAccess.path("search").size(), role.path("indices").size(), "index grants: " + role);
        for (int i = 0; i < requestedAccess.path("search").size(); i++) {
            JsonNode grant = role.path("indices").get(i);
            assertEquals(texts(requestedAccess.path("search").get(i).path("names")), texts(grant.path("names")), role.toString());
            assertTrue(texts(grant.path("privileges")).containsAll(List.of("read", "read_cross_cluster", "view_index_metadata")),
                    role.toString());
        }

        JsonNode metadata = key.path("metadata");
        assertEquals("crosslink", metadata.path("managed_by").asText(), "metadata: " + metadata);
        assertEquals(connectionId, metadata.path("connection_id").asText(), "metadata: " + metadata);
        assertEquals(alias, metadata.path("alias").asText(), "metadata: " + metadata);
        assertEquals(E2eStack.LOCAL_ID, metadata.path("local_deployment_id").asText(), "metadata: " + metadata);
        return key;
    }

    /** L's keystore (through the Cloud API) holds {@code cluster.remote.<alias>.credentials}. */
    public static void localKeystoreHoldsTheCredentials(Elastic elastic, String alias) {
        JsonNode keystore = elastic.keystore(E2eStack.LOCAL_ID);
        assertTrue(keystore.path("secrets").has(ConnectionRequest.credentialsSetting(alias)),
                "L's keystore: " + keystore.toPrettyString());
    }

    /** {@code _remote/info} on L shows the alias connected in proxy mode to R's remote cluster server with credentials. */
    public static void localIsConnectedToRemote(Elastic elastic, String alias) {
        JsonNode info = elastic.remoteInfo(E2eStack.LOCAL_ID).path(alias);
        assertTrue(info.path("connected").asBoolean(), "_remote/info of " + alias + ": " + info);
        assertEquals("proxy", info.path("mode").asText(), info.toString());
        assertEquals(E2eStack.REMOTE_ADDRESS + ":9443", info.path("proxy_address").asText(), info.toString());
        assertEquals(E2eStack.REMOTE_ADDRESS, info.path("server_name").asText(), info.toString());
        assertEquals("::es_redacted::", info.path("cluster_credentials").asText(), "API-key credentials: " + info);
        assertTrue(info.path("skip_unavailable").asBoolean(), "skip_unavailable defaults to true: " + info);
    }

    /** {@code GET <alias>:demo-index/_search} on L returns the remote's five seed documents. */
    public static void crossClusterSearchReturnsRemoteDocuments(Elastic elastic, String alias) {
        Http.Response response = elastic.elasticsearch(E2eStack.LOCAL_ID, "GET", "/" + alias + ":" + E2eStack.SEED_INDEX
                + "/_search?size=20");
        assertEquals(200, response.status(), response.toString());
        JsonNode hits = response.json().path("hits");
        assertEquals(5, hits.path("total").path("value").asInt(), response.body());
        for (JsonNode hit : hits.path("hits")) {
            assertEquals(alias + ":" + E2eStack.SEED_INDEX, hit.path("_index").asText(), hit.toString());
            assertEquals("remote", hit.path("_source").path("deployment").asText(), hit.toString());
        }
    }

    /** Every happy-path step is in the timeline, once, in saga order; no entry failed; times never go back. */
    public static void timelineHasEveryStepInOrder(JsonNode document) {
        JsonNode timeline = document.path("timeline");
        List<String> steps = new ArrayList<>();
        Instant previous = Instant.MIN;
        for (JsonNode entry : timeline) {
            if (STEP_EVENTS.contains(entry.path("event").asText())) {
                steps.add(entry.path("event").asText());
            }
            assertFalse(entry.hasNonNull("errorType"), "a failed step in " + timeline.toPrettyString());
            Instant at = Instant.parse(entry.path("at").asText());
            assertFalse(at.isBefore(previous), "timeline goes back in time: " + timeline.toPrettyString());
            previous = at;
        }
        assertEquals(STEP_EVENTS, steps, "the steps of " + timeline.toPrettyString());
    }

    /** Prints (never asserts) how long the saga took, from {@code label} (the POST, the publication), and where the time went. */
    public static void printTimings(String label, JsonNode document, Duration toVerified) {
        StringBuilder out = new StringBuilder(label).append(" -> VERIFIED: ").append(toVerified.toMillis())
                .append(" ms (client clock); timeline (gap to the previous step, time since createdAt):\n");
        Instant created = Instant.parse(document.path("createdAt").asText());
        Instant previous = created;
        for (JsonNode entry : document.path("timeline")) {
            Instant at = Instant.parse(entry.path("at").asText());
            out.append(String.format("  %-28s %-22s +%6d ms  (at %6d ms)%n", entry.path("step").asText(),
                    entry.path("event").asText(), Duration.between(previous, at).toMillis(),
                    Duration.between(created, at).toMillis()));
            previous = at;
        }
        System.out.print(out);
    }

    /** Elasticsearch echoes {@code access} with {@code allow_restricted_indices: false} filled in. */
    private static JsonNode normalised(JsonNode access) {
        ObjectNode copy = access.deepCopy();
        for (String kind : List.of("search", "replication")) {
            if (copy.path(kind) instanceof ArrayNode grants) {
                for (JsonNode grant : grants) {
                    if (!grant.has("allow_restricted_indices")) {
                        ((ObjectNode) grant).put("allow_restricted_indices", false);
                    }
                }
            }
        }
        return copy;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}

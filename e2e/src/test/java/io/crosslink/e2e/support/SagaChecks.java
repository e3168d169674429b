package io.crosslink.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.EventCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a VERIFIED connection must have done on the real deployments, checked the way an operator would. */
public final class SagaChecks {
    /** The happy path's events, in the order the timeline must show them. */
    public static final List<String> STEP_EVENTS = List.of("ConnectionRequested", "KeyCreated", "KeystoreUpdated",
            "RemoteConnected", "ConnectionVerified");
    /** The compensation chain's events, in the order the timeline must show them, and their steps. */
    public static final List<String> UNDO_EVENTS = List.of("CompensationStarted", "RemoteRemoved", "KeystoreEntryRemoved",
            "KeyInvalidated");
    private static final List<String> UNDO_FAILURES = List.of("-", "RemoteRemovalFailed", "KeystoreEntryRemovalFailed",
            "KeyInvalidationFailed");
    public static final List<String> UNDO_STEPS = List.of("compensate", "remove_remote", "remove_keystore_entry",
            "invalidate_key");
    /** The certificate model's happy path: trust both ways instead of a key and a keystore entry. */
    public static final List<String> CERTIFICATE_STEP_EVENTS = List.of("ConnectionRequested", "TrustUpdated",
            "RemoteConnected", "ConnectionVerified");
    /** The certificate model's undo chain: no keystore entry, no key. */
    public static final List<String> CERTIFICATE_UNDO_EVENTS = List.of("CompensationStarted", "RemoteRemoved", "TrustRemoved");
    private static final List<String> API_KEY_ONLY_EVENTS = List.of("KeyCreated", "KeystoreUpdated", "KeystoreEntryRemoved",
            "KeyInvalidated");

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
        isConnectedWithCredentials(elastic, E2eStack.LOCAL_ID, E2eStack.REMOTE_ADDRESS, alias);
    }

    /** The same for any pair: {@code _remote/info} on {@code localId} shows the alias connected to {@code remoteAddress}:9443. */
    public static void isConnectedWithCredentials(Elastic elastic, String localId, String remoteAddress, String alias) {
        JsonNode info = elastic.remoteInfo(localId).path(alias);
        assertTrue(info.path("connected").asBoolean(), "_remote/info of " + alias + ": " + info);
        assertEquals("proxy", info.path("mode").asText(), info.toString());
        assertEquals(remoteAddress + ":9443", info.path("proxy_address").asText(), info.toString());
        assertEquals(remoteAddress, info.path("server_name").asText(), info.toString());
        assertEquals("::es_redacted::", info.path("cluster_credentials").asText(), "API-key credentials: " + info);
        assertTrue(info.path("skip_unavailable").asBoolean(), "skip_unavailable defaults to true: " + info);
    }

    /** {@code GET <alias>:demo-index/_search} on L returns the remote's five seed documents. */
    public static void crossClusterSearchReturnsRemoteDocuments(Elastic elastic, String alias) {
        crossClusterSearchReturnsDocumentsOf(elastic, alias, "remote");
    }

    /** {@code GET <alias>:demo-index/_search} on L returns the five seed documents of the deployment named so. */
    public static void crossClusterSearchReturnsDocumentsOf(Elastic elastic, String alias, String deploymentName) {
        crossClusterSearchReturnsDocumentsOf(elastic, E2eStack.LOCAL_ID, alias, deploymentName);
    }

    /** The same from any local deployment. */
    public static void crossClusterSearchReturnsDocumentsOf(Elastic elastic, String localId, String alias, String deploymentName) {
        Http.Response response = elastic.elasticsearch(localId, "GET", "/" + alias + ":" + E2eStack.SEED_INDEX
                + "/_search?size=20");
        assertEquals(200, response.status(), response.toString());
        JsonNode hits = response.json().path("hits");
        assertEquals(5, hits.path("total").path("value").asInt(), response.body());
        for (JsonNode hit : hits.path("hits")) {
            assertEquals(alias + ":" + E2eStack.SEED_INDEX, hit.path("_index").asText(), hit.toString());
            assertEquals(deploymentName, hit.path("_source").path("deployment").asText(), hit.toString());
        }
    }

    /** Every happy-path step is in the timeline, once, in saga order; no entry failed; times never go back. */
    public static void timelineHasEveryStepInOrder(JsonNode document) {
        timelineHasEveryStepInOrder(document, STEP_EVENTS);
    }

    /** The certificate model's steps are in the timeline, once, in saga order, and none of the API-key model's. */
    public static void certificateTimelineHasEveryStepInOrder(JsonNode document) {
        timelineHasEveryStepInOrder(document, CERTIFICATE_STEP_EVENTS);
        for (JsonNode entry : document.path("timeline")) {
            assertFalse(API_KEY_ONLY_EVENTS.contains(entry.path("event").asText()),
                    "an API-key step in a certificate-model saga: " + document.path("timeline").toPrettyString());
        }
    }

    /**
     * A RemoteConnected right after another is a repair, not a repeated step: Elasticsearch lost the remote it had
     * just set up (a keystore reload racing the first connection) and connect-service's watch registered it again.
     */
    private static void timelineHasEveryStepInOrder(JsonNode document, List<String> stepEvents) {
        JsonNode timeline = document.path("timeline");
        List<String> steps = new ArrayList<>();
        Instant previous = Instant.MIN;
        for (JsonNode entry : timeline) {
            String event = entry.path("event").asText();
            boolean repair = event.equals("RemoteConnected") && !steps.isEmpty()
                    && steps.get(steps.size() - 1).equals(event);
            if (repair) {
                System.out.printf("connection %s: remote registered again (Elasticsearch lost it)%n",
                        document.path("id").asText());
            } else if (stepEvents.contains(event)) {
                steps.add(event);
            }
            assertFalse(entry.hasNonNull("errorType"), "a failed step in " + timeline.toPrettyString());
            Instant at = Instant.parse(entry.path("at").asText());
            assertFalse(at.isBefore(previous), "timeline goes back in time: " + timeline.toPrettyString());
            previous = at;
        }
        assertEquals(stepEvents, steps, "the steps of " + timeline.toPrettyString());
    }

    /**
     * The certificate model's compensation chain ran once, in reverse order of the steps: CompensationStarted →
     * RemoteRemoved → TrustRemoved, every undo ok, with {@code cause}; nothing moved forward after it began.
     */
    public static void certificateUndoRan(JsonNode document, String cause, List<ConnectionEvent> events) {
        JsonNode timeline = document.path("timeline");
        List<String> undo = new ArrayList<>();
        boolean compensating = false;
        for (JsonNode entry : timeline) {
            String event = entry.path("event").asText();
            if (CERTIFICATE_UNDO_EVENTS.contains(event) || event.equals("RemoteRemovalFailed")
                    || event.equals("TrustRemovalFailed")) {
                undo.add(event);
            }
            compensating |= event.equals("CompensationStarted");
            assertFalse(compensating && (event.equals("RemoteConnected") || event.equals("ConnectionVerified")),
                    "a forward step after compensation began: " + timeline.toPrettyString());
        }
        assertEquals(CERTIFICATE_UNDO_EVENTS, undo, "the undo steps of " + timeline.toPrettyString());
        List<CompensationStarted> started = events.stream().filter(CompensationStarted.class::isInstance)
                .map(CompensationStarted.class::cast).toList();
        assertEquals(1, started.size(), "CompensationStarted events: " + started);
        assertEquals(cause, EventCodec.mapper().valueToTree(started.get(0).cause()).asText(), "the cause: " + started);
        assertTrue(events.stream().noneMatch(ConnectionEvent.UndoFailed.class::isInstance), "an undo failed: " + events);
    }

    /**
     * Prints (never asserts) how long the saga took, from {@code label} (the POST, the publication) to the document's
     * status, and where the time went.
     */
    public static void printTimings(String label, JsonNode document, Duration toVerified) {
        StringBuilder out = new StringBuilder(label).append(" -> ").append(document.path("status").asText()).append(": ")
                .append(toVerified.toMillis())
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

    /**
     * The compensation chain ran once, after everything else the saga did, in reverse order of the steps:
     * CompensationStarted ({@code compensate}) → RemoteRemoved ({@code remove_remote}) → KeystoreEntryRemoved
     * ({@code remove_keystore_entry}) → KeyInvalidated ({@code invalidate_key}), every undo ok, with {@code cause}.
     */
    public static void undoRanInReverseOrder(JsonNode document, String cause, List<ConnectionEvent> events) {
        JsonNode timeline = document.path("timeline");
        List<String> undo = new ArrayList<>();
        for (JsonNode entry : timeline) {
            String event = entry.path("event").asText();
            if (UNDO_EVENTS.contains(event) || UNDO_FAILURES.contains(event)) {
                undo.add(event);
                int index = UNDO_EVENTS.contains(event) ? UNDO_EVENTS.indexOf(event) : UNDO_FAILURES.indexOf(event);
                assertEquals(UNDO_STEPS.get(index), entry.path("step").asText(), "the step of " + entry);
            }
        }
        assertEquals(UNDO_EVENTS, undo, "the undo steps of " + timeline.toPrettyString());
        boolean compensating = false;
        for (JsonNode entry : timeline) {
            String event = entry.path("event").asText();
            compensating |= event.equals("CompensationStarted");
            // A raced KeyCreated or KeystoreUpdated may still be recorded (the chain undoes it); a tombstoned
            // connection never registers the remote or verifies it again.
            assertFalse(compensating && (event.equals("RemoteConnected") || event.equals("ConnectionVerified")),
                    "a forward step after compensation began: " + timeline.toPrettyString());
        }
        List<CompensationStarted> started = events.stream().filter(CompensationStarted.class::isInstance)
                .map(CompensationStarted.class::cast).toList();
        assertEquals(1, started.size(), "CompensationStarted events: " + started);
        assertEquals(cause, EventCodec.mapper().valueToTree(started.get(0).cause()).asText(), "the cause: " + started);
        assertTrue(events.stream().noneMatch(ConnectionEvent.UndoFailed.class::isInstance), "an undo failed: " + events);
    }

    /** The one undo event of this type among the connection's events. */
    public static <T extends ConnectionEvent> T undoEvent(List<ConnectionEvent> events, Class<T> type) {
        List<T> found = events.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), type.getSimpleName() + " events: " + found);
        return found.get(0);
    }

    /**
     * The timeline has the failed step, with Elastic's error type, reason and HTTP status carried into it
     * ({@code errorType}, {@code httpStatus}: null when the test cannot know them).
     */
    public static JsonNode failedStep(JsonNode document, String event, String errorType, Integer httpStatus) {
        for (JsonNode entry : document.path("timeline")) {
            if (entry.path("event").asText().equals(event)) {
                assertEquals("failed", entry.path("outcome").asText(), entry.toString());
                assertFalse(entry.path("errorType").asText().isBlank(), "Elastic's error type: " + entry);
                if (errorType != null) {
                    assertEquals(errorType, entry.path("errorType").asText(), "Elastic's error type: " + entry);
                }
                if (httpStatus != null) {
                    assertEquals(httpStatus.intValue(), entry.path("httpStatus").asInt(), "Elastic's HTTP status: " + entry);
                }
                assertFalse(entry.path("errorReason").asText().isBlank(), "Elastic's reason: " + entry);
                return entry;
            }
        }
        throw new AssertionError("no " + event + " in " + document.path("timeline").toPrettyString());
    }

    /** Nothing of the connection is left: no active key on R, no keystore entry, remote setting or remote on L. */
    public static void nothingLeftOnEitherSide(Elastic elastic, String connectionId, String alias) {
        nothingLeftOnEitherSide(elastic, E2eStack.LOCAL_ID, E2eStack.REMOTE_ID, connectionId, alias);
    }

    /** The same for any pair of deployments. */
    public static void nothingLeftOnEitherSide(Elastic elastic, String localId, String remoteId, String connectionId, String alias) {
        JsonNode keys = elastic.activeApiKeys(remoteId, Elastic.KEY_NAME_PREFIX + connectionId);
        assertEquals(0, keys.size(), "active keys of " + connectionId + " on R: " + keys);
        JsonNode keystore = elastic.keystore(localId);
        assertFalse(keystore.path("secrets").has(ConnectionRequest.credentialsSetting(alias)), "L's keystore: " + keystore);
        var settings = elastic.persistentRemoteSettings(localId);
        assertTrue(settings.keySet().stream().noneMatch(setting -> setting.startsWith("cluster.remote." + alias + ".")),
                "L's remote settings: " + settings);
        JsonNode info = elastic.remoteInfo(localId);
        assertFalse(info.has(alias), "L's _remote/info still has " + alias + ": " + info);
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

package io.crosslink.connect.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * ECE's remote-clusters list of a deployment ({@code RemoteResources}: {@code {"resources":[{deployment_id,
 * elasticsearch_ref_id, alias, skip_unavailable?, info?}]}}), as read from and written back to
 * {@code .../elasticsearch/{ref_id}/remote-clusters}. A PUT replaces the whole list, so every change is a
 * read-modify-write that keeps each entry it did not add exactly as read (ECE accepts aliases with upper-case
 * letters, which Crosslink's own aliases never have: such entries are someone else's and stay byte for byte), dropping
 * only the read-only {@code info}. Pure: the caller does the HTTP and the serialising.
 */
public final class RemoteClusterList {
    public static final String RESOURCES = "resources";
    private static final String INFO = "info";

    private RemoteClusterList() {
    }

    /** One entry: R (deployment and Elasticsearch ref id) under {@code alias}. */
    public static ObjectNode entry(String deploymentId, String refId, String alias, boolean skipUnavailable) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("deployment_id", deploymentId);
        entry.put("elasticsearch_ref_id", refId);
        entry.put("alias", alias);
        entry.put("skip_unavailable", skipUnavailable);
        return entry;
    }

    /** The entry listed under exactly this alias (aliases are case-sensitive), if any. */
    public static Optional<JsonNode> find(JsonNode list, String alias) {
        for (JsonNode entry : list.path(RESOURCES)) {
            if (alias.equals(entry.path("alias").asText(null))) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** Whether the alias is listed for this remote deployment. */
    public static boolean lists(JsonNode list, String alias, String deploymentId) {
        return find(list, alias).map(entry -> sameTarget(entry, deploymentId)).orElse(false);
    }

    /**
     * The list to write: every entry as read (without {@code info}), with {@code entry} added, or in place of an entry
     * of the same alias for the same deployment (a retry of our own write). The caller checks first that the alias
     * is not taken by another deployment ({@link #takenByAnother}).
     */
    public static ObjectNode withEntry(JsonNode current, ObjectNode entry) {
        String alias = entry.path("alias").asText();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode resources = body.putArray(RESOURCES);
        boolean placed = false;
        for (JsonNode existing : current.path(RESOURCES)) {
            if (alias.equals(existing.path("alias").asText(null))) {
                if (!placed) {
                    resources.add(entry.deepCopy());
                    placed = true;
                }
            } else {
                resources.add(writable(existing));
            }
        }
        if (!placed) {
            resources.add(entry.deepCopy());
        }
        return body;
    }

    /** The list to write: every entry as read (without {@code info}) except this alias for this deployment. */
    public static ObjectNode withoutEntry(JsonNode current, String alias, String deploymentId) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode resources = body.putArray(RESOURCES);
        for (JsonNode existing : current.path(RESOURCES)) {
            if (!(alias.equals(existing.path("alias").asText(null)) && sameTarget(existing, deploymentId))) {
                resources.add(writable(existing));
            }
        }
        return body;
    }

    /** The deployment another entry of this alias points at, when it is not ours to replace. */
    public static Optional<String> takenByAnother(JsonNode current, String alias, String deploymentId) {
        return find(current, alias).filter(entry -> !sameTarget(entry, deploymentId))
                .map(entry -> entry.path("deployment_id").asText());
    }

    private static boolean sameTarget(JsonNode entry, String deploymentId) {
        return deploymentId.equals(entry.path("deployment_id").asText(null));
    }

    /** The entry as read, without the read-only {@code info} (an entry that is no object is kept as it is). */
    private static JsonNode writable(JsonNode entry) {
        if (!entry.isObject()) {
            return entry.deepCopy();
        }
        ObjectNode copy = ((ObjectNode) entry).deepCopy();
        copy.remove(INFO);
        return copy;
    }
}

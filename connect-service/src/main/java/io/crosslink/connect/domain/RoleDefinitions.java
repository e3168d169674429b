package io.crosslink.connect.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.elastic.ElasticVersion;
import io.crosslink.events.RoleRequest;
import java.util.List;
import java.util.Set;

/**
 * Role bodies for {@code PUT /_security/role/{name}} (elastic-api.md A6/A6b), without side effects. The saga's role
 * is the role as it was before (or an empty one) with the alias's {@code remote_indices} (and {@code remote_cluster})
 * entries replaced by the request's: everything else a pre-existing role grants stays as it was, and writing it
 * again gives the same role (the base is the definition saved before the first write, not the current one).
 */
public final class RoleDefinitions {
    /** Fields of a role that {@code PUT} takes back; {@code GET} adds others (e.g. {@code transient_metadata}). */
    static final Set<String> WRITABLE = Set.of("cluster", "indices", "applications", "run_as", "metadata", "global",
            "remote_indices", "remote_cluster", "description");
    /** {@code remote_cluster} in roles came with 8.15 (with {@code monitor_enrich}). */
    static final int[] REMOTE_CLUSTER_SINCE = {8, 15};

    private RoleDefinitions() {
    }

    /** The role as {@code GET /_security/role/{name}} answered it: {@code {"<name>": {...}}} → {@code {...}}, or null. */
    public static JsonNode fromGet(JsonNode answer, String name) {
        JsonNode role = answer == null ? null : answer.get(name);
        return role != null && role.isObject() ? role : null;
    }

    /** A saved definition as {@code PUT} accepts it again (read-only fields dropped). */
    public static ObjectNode writable(JsonNode definition) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (definition != null && definition.isObject()) {
            definition.properties().forEach(field -> {
                if (WRITABLE.contains(field.getKey())) {
                    body.set(field.getKey(), field.getValue().deepCopy());
                }
            });
        }
        return body;
    }

    /**
     * The body the saga writes: {@code previous} (null when the role did not exist) with every
     * {@code remote_indices}/{@code remote_cluster} entry for exactly this alias replaced by the request's grants;
     * {@code remote_cluster} ({@code monitor_enrich}) only where L's version supports it and the role grants search.
     */
    public static ObjectNode applied(JsonNode previous, RoleRequest role, String alias, String connectionId,
            String localVersion) {
        ObjectNode body = writable(previous);
        ArrayNode remoteIndices = withoutAlias(body.path("remote_indices"), alias);
        for (RoleRequest.Indices indices : role.indices()) {
            ObjectNode entry = remoteIndices.addObject();
            entry.putArray("clusters").add(alias);
            ArrayNode names = entry.putArray("names");
            indices.names().forEach(names::add);
            ArrayNode privileges = entry.putArray("privileges");
            indices.privileges().forEach(privileges::add);
        }
        body.set("remote_indices", remoteIndices);
        ArrayNode remoteCluster = withoutAlias(body.path("remote_cluster"), alias);
        boolean search = role.indices().stream().flatMap(i -> i.privileges().stream())
                .anyMatch(p -> p.equals("read") || p.equals("read_cross_cluster"));
        if (search && ElasticVersion.atLeast(localVersion, REMOTE_CLUSTER_SINCE[0], REMOTE_CLUSTER_SINCE[1])) {
            ObjectNode entry = remoteCluster.addObject();
            entry.putArray("clusters").add(alias);
            entry.putArray("privileges").add("monitor_enrich");
        }
        if (remoteCluster.isEmpty()) {
            body.remove("remote_cluster");
        } else {
            body.set("remote_cluster", remoteCluster);
        }
        if (previous == null) {
            body.putObject("metadata").put("managed_by", "crosslink").put("connection_id", connectionId)
                    .put("alias", alias);
        }
        return body;
    }

    /** The entries of a remote_indices/remote_cluster list that are not for exactly {@code [alias]}. */
    static ArrayNode withoutAlias(JsonNode entries, String alias) {
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        if (entries.isArray()) {
            for (JsonNode entry : entries) {
                JsonNode clusters = entry.path("clusters");
                if (!(clusters.size() == 1 && alias.equals(clusters.get(0).asText()))) {
                    kept.add(entry.deepCopy());
                }
            }
        }
        return kept;
    }
}

package io.crosslink.trust.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StrongIdentity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * R's persistent {@code cluster.remote.signing.certificate_authorities}, read from {@code GET /_cluster/settings}
 * and written back whole with {@code PUT /_cluster/settings} (pure JSON in, JSON out). Elasticsearch answers nested
 * ({@code cluster: {remote: {...}}}) or flat keys, and a one-value list possibly as a plain string: all are read.
 */
public final class SigningCaList {
    private SigningCaList() {
    }

    /** The paths R's persistent settings list, in order; empty when the setting is not set. */
    public static List<String> read(JsonNode clusterSettings) {
        JsonNode value = find(clusterSettings.path("persistent"), StrongIdentity.CERTIFICATE_AUTHORITIES_SETTING);
        List<String> paths = new ArrayList<>();
        if (value == null || value.isNull() || value.isMissingNode()) {
            return paths;
        }
        if (value.isArray()) {
            value.forEach(path -> paths.add(path.asText()));
        } else if (!value.asText().isBlank()) {
            paths.add(value.asText());
        }
        return paths;
    }

    /** The {@code PUT /_cluster/settings} body that sets the list to {@code paths}; null (reset) when empty. */
    public static String settingsBody(List<String> paths) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        ObjectNode persistent = body.putObject("persistent");
        if (paths.isEmpty()) {
            persistent.putNull(StrongIdentity.CERTIFICATE_AUTHORITIES_SETTING);
        } else {
            ArrayNode list = persistent.putArray(StrongIdentity.CERTIFICATE_AUTHORITIES_SETTING);
            paths.forEach(list::add);
        }
        return EventCodec.encode(body);
    }

    public static List<String> with(List<String> paths, String path) {
        List<String> changed = new ArrayList<>(paths);
        if (!changed.contains(path)) {
            changed.add(path);
        }
        return changed;
    }

    public static List<String> without(List<String> paths, String path) {
        List<String> changed = new ArrayList<>(paths);
        changed.removeIf(path::equals);
        return changed;
    }

    /** The value of a dotted key, whatever mix of nested objects and dotted names holds it. */
    private static JsonNode find(JsonNode node, String key) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(key)) {
                return field.getValue();
            }
            if (key.startsWith(field.getKey() + ".")) {
                JsonNode found = find(field.getValue(), key.substring(field.getKey().length() + 1));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}

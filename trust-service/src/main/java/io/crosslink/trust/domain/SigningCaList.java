package io.crosslink.trust.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StrongIdentity;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * R's persistent {@code cluster.remote.signing.certificate_authorities} as Crosslink writes it. Elasticsearch filters
 * the setting out of every read ({@code GET /_cluster/settings}, with or without defaults, {@code _cluster/state},
 * {@code _nodes/settings}: seen on 9.5.4), so it cannot be read-modify-written: Crosslink owns the whole value, the
 * kept paths (configured) and the paths its live connections hold.
 */
public final class SigningCaList {
    private SigningCaList() {
    }

    /** The value: the kept paths first, then the held ones, each once. */
    public static List<String> of(Collection<String> kept, Collection<String> held) {
        Set<String> paths = new LinkedHashSet<>(kept);
        paths.addAll(held);
        return List.copyOf(paths);
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
}

package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;

/**
 * The cluster settings that register R on L for the API-key model: proxy mode to R's remote cluster server
 * ({@code endpoint:9443}), TLS server name = R's endpoint.
 */
public record RemoteSettings(String alias, String proxyAddress, String serverName, boolean skipUnavailable) {

    public static RemoteSettings of(String alias, String remoteEndpoint, int remoteClusterPort, boolean skipUnavailable) {
        return new RemoteSettings(alias, remoteEndpoint + ":" + remoteClusterPort, remoteEndpoint, skipUnavailable);
    }

    /** {@code PUT /_cluster/settings} body (persistent; transient settings are deprecated). */
    public String body() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode remote = root.putObject("persistent").putObject("cluster").putObject("remote").putObject(alias);
        remote.put("mode", "proxy");
        remote.put("proxy_address", proxyAddress);
        remote.put("server_name", serverName);
        remote.put("skip_unavailable", skipUnavailable);
        return EventCodec.encode(root);
    }
}

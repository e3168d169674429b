package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
import java.util.List;

/**
 * The cluster settings that register R on L: proxy mode to R's remote cluster server ({@code endpoint:9443}, API-key
 * model) or to R's transport port ({@code endpoint:<transport port>}, certificate model), TLS server name = R's
 * endpoint; with strong identity (9.3+), the certificate and key L signs its requests with ({@code signing.*}, paths
 * relative to the nodes' config folder); and the settings that remove it again.
 */
public record RemoteSettings(String alias, String proxyAddress, String serverName, boolean skipUnavailable,
        String signingCertificate, String signingKey) {

    /** Strong identity's settings of an alias, removed with it when the connection used them. */
    public static final List<String> SIGNING_SETTINGS = List.of("certificate", "key");

    public RemoteSettings(String alias, String proxyAddress, String serverName, boolean skipUnavailable) {
        this(alias, proxyAddress, serverName, skipUnavailable, null, null);
    }

    /** The same, L signing its requests with this certificate and key. */
    public RemoteSettings signedWith(String certificate, String key) {
        return new RemoteSettings(alias, proxyAddress, serverName, skipUnavailable, certificate, key);
    }

    /**
     * Every setting an alias can have (proxy and sniff mode). Removing a remote nulls all of them in one request:
     * Elasticsearch refuses to drop the address while another setting, such as {@code skip_unavailable}, stays.
     */
    public static final List<String> ALIAS_SETTINGS = List.of("mode", "proxy_address", "server_name",
            "skip_unavailable", "proxy_socket_connections", "seeds", "node_connections");

    public static RemoteSettings of(String alias, String remoteEndpoint, int remoteClusterPort, boolean skipUnavailable) {
        return new RemoteSettings(alias, remoteEndpoint + ":" + remoteClusterPort, remoteEndpoint, skipUnavailable);
    }

    /**
     * Certificate model: R's transport port as read at ConnectionRequested ({@code transport_passthrough}, else the
     * environment kind's: 9300 ECE, 9400 ESS).
     */
    public static RemoteSettings transport(String alias, DeploymentInfo remote, boolean skipUnavailable) {
        return of(alias, remote.endpoint(), transportPort(remote), skipUnavailable);
    }

    static int transportPort(DeploymentInfo remote) {
        if (remote.transportPort() != null) {
            return remote.transportPort();
        }
        return (DeploymentInfo.ESS.equals(remote.kind()) ? ConnectConfig.EnvironmentKind.ESS
                : ConnectConfig.EnvironmentKind.ECE).transportPort();
    }

    /** {@code PUT /_cluster/settings} body (persistent; transient settings are deprecated). */
    public String body() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode remote = aliasNode(root, alias);
        remote.put("mode", "proxy");
        remote.put("proxy_address", proxyAddress);
        remote.put("server_name", serverName);
        remote.put("skip_unavailable", skipUnavailable);
        if (signingCertificate != null) {
            remote.putObject("signing").put("certificate", signingCertificate).put("key", signingKey);
        }
        return EventCodec.encode(root);
    }

    /** {@code PUT /_cluster/settings} body that removes the alias: every setting of it null, in one request. */
    public static String removalBody(String alias) {
        return removalBody(alias, false);
    }

    /**
     * The same, with the signing settings when the connection used strong identity (only 9.3+ knows them: an older
     * node refuses a request that names them, even as null).
     */
    public static String removalBody(String alias, boolean signing) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode remote = aliasNode(root, alias);
        ALIAS_SETTINGS.forEach(remote::putNull);
        if (signing) {
            ObjectNode signingNode = remote.putObject("signing");
            SIGNING_SETTINGS.forEach(signingNode::putNull);
        }
        return EventCodec.encode(root);
    }

    /**
     * Whether {@code GET /_cluster/settings} shows the alias: any of its settings (signing ones included) in the
     * persistent or transient settings, nested ({@code cluster.remote.<alias>.mode}) or flat ({@code "cluster.remote.<alias>.mode"}).
     */
    public static boolean registered(JsonNode settings, String alias) {
        for (String scope : List.of("persistent", "transient")) {
            JsonNode section = settings.path(scope);
            JsonNode nested = section.path("cluster").path("remote").path(alias);
            for (String setting : ALIAS_SETTINGS) {
                if (nested.hasNonNull(setting) || section.hasNonNull("cluster.remote." + alias + "." + setting)) {
                    return true;
                }
            }
            for (String setting : SIGNING_SETTINGS) {
                if (nested.path("signing").hasNonNull(setting)
                        || section.hasNonNull("cluster.remote." + alias + ".signing." + setting)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ObjectNode aliasNode(ObjectNode root, String alias) {
        return root.putObject("persistent").putObject("cluster").putObject("remote").putObject(alias);
    }
}

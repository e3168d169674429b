package io.crosslink.e2e.support;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a connection can change on Elastic, read from the deployments: R's active API keys named
 * {@code crosslink-*} (id → name), the names of L's keystore entries (Cloud API) and L's persistent
 * {@code cluster.remote.*} settings. A compensated saga must leave all three exactly as they were before it.
 */
public record ElasticState(Map<String, String> remoteCrosslinkKeys, Set<String> localKeystoreEntries,
        Map<String, String> localRemoteSettings) {

    public static ElasticState capture(Elastic elastic) {
        return capture(elastic, E2eStack.LOCAL_ID);
    }

    /** The same with another deployment (peer) in L's place: its keystore entries and remote settings. */
    public static ElasticState capture(Elastic elastic, String localDeploymentId) {
        return capture(elastic, localDeploymentId, E2eStack.REMOTE_ID);
    }

    /** The same for any pair of deployments. */
    public static ElasticState capture(Elastic elastic, String localDeploymentId, String remoteDeploymentId) {
        Set<String> entries = new TreeSet<>();
        elastic.keystore(localDeploymentId).path("secrets").fieldNames().forEachRemaining(entries::add);
        return new ElasticState(elastic.activeCrosslinkKeys(remoteDeploymentId), entries,
                elastic.persistentRemoteSettings(localDeploymentId));
    }

    @Override
    public String toString() {
        return "R's active crosslink-* keys " + remoteCrosslinkKeys + "\n  L's keystore entries " + localKeystoreEntries
                + "\n  L's persistent remote settings " + localRemoteSettings;
    }
}

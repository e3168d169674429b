package io.crosslink.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is really on the deployments after a wave, read as an operator would (R's node directly, L's node directly,
 * L's keystore through the Cloud API).
 *
 * @param remoteActiveKeys R's active API keys named {@code crosslink-*}: each key's name (one entry per key, so a
 *     name listed twice is a duplicate)
 * @param localKeystoreEntries L's keystore entry names
 * @param localRemoteSettingAliases the aliases with any persistent {@code cluster.remote.<alias>.*} setting on L
 * @param localRemoteConnected {@code _remote/info} of L: alias → connected
 */
public record ElasticSnapshot(List<String> remoteActiveKeys, Set<String> localKeystoreEntries,
        Set<String> localRemoteSettingAliases, Map<String, Boolean> localRemoteConnected) {

    public ElasticSnapshot {
        remoteActiveKeys = List.copyOf(remoteActiveKeys);
        localKeystoreEntries = Set.copyOf(localKeystoreEntries);
        localRemoteSettingAliases = Set.copyOf(localRemoteSettingAliases);
        localRemoteConnected = Map.copyOf(localRemoteConnected);
    }

    public long activeKeysNamed(String name) {
        return remoteActiveKeys.stream().filter(name::equals).count();
    }

    public static String credentialsEntry(String alias) {
        return "cluster.remote." + alias + ".credentials";
    }
}

package io.crosslink.trust.service;

import io.crosslink.events.SealedSecret;
import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.domain.KeystoreEntry;

/** A keystore write that is due: which key, sealed, goes into which setting of which resource. */
public record PendingUpdate(String connectionId, String keyId, DeploymentResource resource, String settingName,
        SealedSecret sealedKey) {

    static PendingUpdate of(KeystoreEntry entry) {
        return new PendingUpdate(entry.connectionId, entry.keyId,
                new DeploymentResource(entry.environment, entry.deploymentId, entry.refId), entry.settingName,
                entry.sealedKey());
    }
}

package io.crosslink.trust.service;

import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.domain.KeystoreEntry;

/** A keystore entry to remove: which setting of which resource. */
public record PendingRemoval(String connectionId, DeploymentResource resource, String settingName) {

    static PendingRemoval of(KeystoreEntry entry) {
        return new PendingRemoval(entry.connectionId,
                new DeploymentResource(entry.environment, entry.deploymentId, entry.refId), entry.settingName);
    }
}

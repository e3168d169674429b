package io.crosslink.trust.service;

import io.crosslink.trust.client.DeploymentResource;
import io.crosslink.trust.domain.KeystoreEntry;

/**
 * A keystore entry to remove: which setting of which resource; {@code mayHoldEntry} false when nothing was ever
 * written (the undo then only releases strong identity's signing CA).
 */
public record PendingRemoval(String connectionId, DeploymentResource resource, String settingName,
        boolean mayHoldEntry) {

    static PendingRemoval of(KeystoreEntry entry) {
        return new PendingRemoval(entry.connectionId,
                new DeploymentResource(entry.environment, entry.deploymentId, entry.refId), entry.settingName,
                entry.mayHoldEntry());
    }
}

package io.crosslink.trust.service;

import io.crosslink.runtime.work.WorkQueue;
import io.crosslink.trust.domain.SigningCaGrant;

/** A connection's reference to L's signing CA ({@code caPath}) on R ({@code environment}/{@code deploymentId}). */
public record PendingGrant(String connectionId, String environment, String deploymentId, String caPath) {

    static PendingGrant of(SigningCaGrant grant) {
        return new PendingGrant(grant.connectionId, grant.environment, grant.deploymentId, grant.caPath);
    }

    /** R as a work item declares it. */
    String permit() {
        return WorkQueue.deployment(environment, deploymentId);
    }
}

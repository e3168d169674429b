package io.crosslink.trust.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.trust.domain.CaCertificates;
import io.crosslink.trust.domain.DeploymentState;

/**
 * A deployment's trust settings (certificate model) through the Cloud API of its environment. Failures are
 * {@link ElasticCallException}s: {@link TransientElasticCallException} (the caller's work item parks and tries again) or
 * permanent; {@link TrustVersionConflict} when an update lost against another writer.
 */
public interface TrustClient {

    /** {@code GET /api/v1/deployments/{id}?show_settings=true&show_plans=true}: trust, plan, version. */
    DeploymentState readDeployment(DeploymentResource resource);

    /** {@code GET /api/v1/deployments/{id}/certificate-authority}. */
    CaCertificates readCertificateAuthority(DeploymentResource resource);

    /**
     * {@code PUT /api/v1/deployments/{id}?version=<read version>}: replaces the resource's trust settings with
     * {@code trust} (complete), repeating the plan and region that were read. Not retried here: whether to try again
     * depends on whether an earlier attempt may have landed, which the caller tracks.
     */
    void updateTrust(DeploymentResource resource, DeploymentState read, JsonNode trust);
}

package io.crosslink.cloudsim.domain;

/**
 * A call a fault may apply to. {@code deploymentId} is null for calls that name no deployment
 * ({@code GET /api/v1/deployments}); {@code path} is the percent-decoded request path without query string.
 */
public record FaultedCall(FaultTarget target, String deploymentId, String method, String path) {
}

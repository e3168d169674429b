package io.crosslink.trust.client;

/** An Elasticsearch resource of a deployment, as the Cloud API addresses it. */
public record DeploymentResource(String environment, String deploymentId, String refId) {
}

package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What connect-service read from the Cloud API about a deployment while validating, so every step works on
 * the same facts: {@code endpoint} is {@code info.metadata.endpoint}, the host remotes connect to.
 */
public record DeploymentInfo(
        @JsonProperty(required = true) String environment,
        @JsonProperty(required = true) String deploymentId,
        @JsonProperty(required = true) String refId,
        @JsonProperty(required = true) String clusterId,
        @JsonProperty(required = true) String endpoint,
        @JsonProperty(required = true) String version) {
}

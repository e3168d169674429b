package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A deployment's Elasticsearch resource as the Cloud API names it; {@code refId} defaults to the first one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentRef(
        @JsonProperty(required = true) String environment,
        @JsonProperty(required = true) String deploymentId,
        String refId) {
}

package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What connect-service read from the Cloud API about a deployment while validating, so every step works on
 * the same facts: {@code endpoint} is {@code info.metadata.endpoint}, the host remotes connect to.
 * The certificate model adds {@code kind} ({@code ECE} or {@code ESS}: the environment's kind, which decides the
 * {@code direct} trust entry's {@code type}), {@code accountId} (the ESS organization or ECE installation account
 * that {@code accounts} trust entries and {@code scope_id} name) and {@code transportPort} (the port remotes reach
 * its transport on: {@code info.metadata.ports.transport_passthrough}, else the environment kind's).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentInfo(
        @JsonProperty(required = true) String environment,
        @JsonProperty(required = true) String deploymentId,
        @JsonProperty(required = true) String refId,
        @JsonProperty(required = true) String clusterId,
        @JsonProperty(required = true) String endpoint,
        @JsonProperty(required = true) String version,
        String kind,
        String accountId,
        Integer transportPort) {

    public static final String ECE = "ECE";
    public static final String ESS = "ESS";

    /** API-key model facts. */
    public DeploymentInfo(String environment, String deploymentId, String refId, String clusterId, String endpoint,
            String version) {
        this(environment, deploymentId, refId, clusterId, endpoint, version, null, null, null);
    }

    /** Whether both deployments are in one ECE installation or one Elastic Cloud organization. */
    public boolean sameAccountAs(DeploymentInfo other) {
        return kind != null && kind.equals(other.kind) && accountId != null && accountId.equals(other.accountId);
    }
}

package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A record of the {@code connection-requests} topic: the REST request body plus the publisher's
 * {@code requestId}, its idempotency key. Flat on the wire: {@code {"requestId", "alias", ...}}.
 */
public record SubmittedRequest(
        @JsonProperty(required = true) String requestId,
        @JsonProperty(required = true) String alias,
        @JsonProperty(required = true) SecurityModel securityModel,
        @JsonProperty(required = true) DeploymentRef local,
        @JsonProperty(required = true) DeploymentRef remote,
        @JsonProperty(required = true) Access access,
        Boolean skipUnavailable,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RoleRequest> roles) {

    /** A record without roles. */
    public SubmittedRequest(String requestId, String alias, SecurityModel securityModel, DeploymentRef local,
            DeploymentRef remote, Access access, Boolean skipUnavailable) {
        this(requestId, alias, securityModel, local, remote, access, skipUnavailable, null);
    }

    public ConnectionRequest request() {
        return new ConnectionRequest(alias, securityModel, local, remote, access, skipUnavailable, roles);
    }
}

package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * "Connect deployment {@code local} to deployment {@code remote} as remote cluster {@code alias}, with this
 * access": the body of {@code POST /api/v1/connections}, validated. {@code skipUnavailable} is never null
 * once validated (default true, as Elasticsearch 8.15+ does). {@code roles} (optional, API-key model): local roles
 * connect-service creates or updates on L with {@code remote_indices} for the alias; absent when none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionRequest(
        @JsonProperty(required = true) String alias,
        @JsonProperty(required = true) SecurityModel securityModel,
        @JsonProperty(required = true) DeploymentRef local,
        @JsonProperty(required = true) DeploymentRef remote,
        @JsonProperty(required = true) Access access,
        Boolean skipUnavailable,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RoleRequest> roles) {

    /** A request without roles. */
    public ConnectionRequest(String alias, SecurityModel securityModel, DeploymentRef local, DeploymentRef remote,
            Access access, Boolean skipUnavailable) {
        this(alias, securityModel, local, remote, access, skipUnavailable, null);
    }

    /** The roles to apply on L; empty when the request names none. */
    public List<RoleRequest> rolesOrEmpty() {
        return roles == null ? List.of() : roles;
    }

    /** The keystore setting that holds the remote's credentials on L. */
    public String credentialsSetting() {
        return credentialsSetting(alias);
    }

    public static String credentialsSetting(String alias) {
        return "cluster.remote." + alias + ".credentials";
    }
}

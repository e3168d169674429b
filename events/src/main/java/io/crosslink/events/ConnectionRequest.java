package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * "Connect deployment {@code local} to deployment {@code remote} as remote cluster {@code alias}, with this
 * access": the body of {@code POST /api/v1/connections}, validated. {@code skipUnavailable} is never null
 * once validated (default true, as Elasticsearch 8.15+ does).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionRequest(
        @JsonProperty(required = true) String alias,
        @JsonProperty(required = true) SecurityModel securityModel,
        @JsonProperty(required = true) DeploymentRef local,
        @JsonProperty(required = true) DeploymentRef remote,
        @JsonProperty(required = true) Access access,
        Boolean skipUnavailable) {

    /** The keystore setting that holds the remote's credentials on L. */
    public String credentialsSetting() {
        return credentialsSetting(alias);
    }

    public static String credentialsSetting(String alias) {
        return "cluster.remote." + alias + ".credentials";
    }
}

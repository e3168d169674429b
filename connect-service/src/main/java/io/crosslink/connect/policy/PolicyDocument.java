package io.crosslink.connect.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.crosslink.events.SecurityModel;
import java.util.List;
import java.util.Map;

/**
 * The policy file as written (YAML, snake_case keys; an unknown key is an error). {@link AccessPolicy} checks it and
 * judges requests by it; README "Policy" documents it.
 *
 * <pre>
 * teams:
 *   team-a:
 *     security_models: [api_key, tls_certificate]
 *     max_live_connections: 10
 *     locals:                                  # deployments the team may connect from
 *       - environment: ece                     # every deployment of the environment ...
 *     remotes:                                 # deployments it may connect to; the first entry that matches decides
 *       - environment: ess
 *         deployments: [0b5e55ed...]           # ... or only these
 *         indices: ["demo-*", "logs-*"]        # what the cross-cluster key may grant (search and replication)
 *         replication: false                   # default false
 *         allow_restricted_indices: false      # default false
 *         allow_exclusions: false              # default false: patterns such as "-secret-*"
 * </pre>
 */
public record PolicyDocument(@JsonProperty("teams") Map<String, Team> teams) {

    /** What one team may request. */
    public record Team(
            @JsonProperty("locals") List<Deployments> locals,
            @JsonProperty("remotes") List<Remote> remotes,
            @JsonProperty("security_models") List<SecurityModel> securityModels,
            @JsonProperty("max_live_connections") Integer maxLiveConnections) {
    }

    /** Deployments of one environment: all of them, or those listed. */
    public record Deployments(
            @JsonProperty("environment") String environment,
            @JsonProperty("deployments") List<String> deployments) {
    }

    /** Remote deployments and what the team may ask of them. */
    public record Remote(
            @JsonProperty("environment") String environment,
            @JsonProperty("deployments") List<String> deployments,
            @JsonProperty("indices") List<String> indices,
            @JsonProperty("replication") Boolean replication,
            @JsonProperty("allow_restricted_indices") Boolean allowRestrictedIndices,
            @JsonProperty("allow_exclusions") Boolean allowExclusions) {
    }
}

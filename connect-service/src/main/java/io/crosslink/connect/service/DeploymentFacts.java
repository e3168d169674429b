package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.Violation;
import java.util.List;

/**
 * Reads what the saga needs from a Cloud API {@code DeploymentGetResponse}: the Elasticsearch resource named
 * by {@code refId} (or the first one), its cluster id ({@code info.cluster_id}, else {@code id}), its
 * {@code info.metadata.endpoint} and its version ({@code info.plan_info.current.plan.elasticsearch.version}),
 * and checks the version the security model needs.
 */
public final class DeploymentFacts {
    /** Both sides need 8.14+ for the API-key model on ESS/ECE (keystore reload without restart). */
    static final int[] API_KEY_MINIMUM = {8, 14};

    /** The facts, or why the deployment does not qualify. */
    public record Outcome(DeploymentInfo info, List<Violation> violations) {
        static Outcome rejected(String field, String reason) {
            return new Outcome(null, List.of(new Violation(field, reason)));
        }
    }

    private DeploymentFacts() {
    }

    /** {@code field} is {@code local} or {@code remote}: violations name {@code <field>.deploymentId} or {@code .refId}. */
    public static Outcome read(DeploymentRef ref, String field, JsonNode deployment) {
        JsonNode resources = deployment.path("resources").path("elasticsearch");
        if (!resources.isArray() || resources.isEmpty()) {
            return Outcome.rejected(field + ".deploymentId", "the deployment has no Elasticsearch resource");
        }
        JsonNode resource = null;
        if (ref.refId() == null) {
            resource = resources.get(0);
        } else {
            for (JsonNode candidate : resources) {
                if (ref.refId().equals(candidate.path("ref_id").asText(null))) {
                    resource = candidate;
                }
            }
            if (resource == null) {
                return Outcome.rejected(field + ".refId", "the deployment has no Elasticsearch resource with ref_id "
                        + ref.refId());
            }
        }
        JsonNode info = resource.path("info");
        String refId = text(resource.path("ref_id"));
        String clusterId = text(info.path("cluster_id")) != null ? text(info.path("cluster_id")) : text(resource.path("id"));
        String endpoint = text(info.path("metadata").path("endpoint"));
        String version = text(info.path("plan_info").path("current").path("plan").path("elasticsearch").path("version"));
        if (refId == null || clusterId == null || endpoint == null || version == null) {
            return Outcome.rejected(field + ".deploymentId", "the Cloud API did not report the Elasticsearch resource's "
                    + (refId == null ? "ref_id" : clusterId == null ? "cluster id" : endpoint == null ? "endpoint" : "version"));
        }
        if (!atLeast(version, API_KEY_MINIMUM)) {
            return Outcome.rejected(field + ".deploymentId", "Elasticsearch " + version
                    + " is too old: the api_key security model needs 8.14 or later on both deployments");
        }
        return new Outcome(new DeploymentInfo(ref.environment(), ref.deploymentId(), refId, clusterId, endpoint, version),
                List.of());
    }

    /** Compares the leading numeric parts: {@code 8.19.21}, {@code 9.0.0-SNAPSHOT}. */
    static boolean atLeast(String version, int[] minimum) {
        String[] parts = version.split("[.-]");
        for (int i = 0; i < minimum.length; i++) {
            int part;
            try {
                part = i < parts.length ? Integer.parseInt(parts[i]) : 0;
            } catch (NumberFormatException e) {
                return false;
            }
            if (part != minimum[i]) {
                return part > minimum[i];
            }
        }
        return true;
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}

package io.crosslink.trust.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A deployment as {@code GET /api/v1/deployments/{id}?show_settings=true&show_plans=true} returned it, seen from its
 * Elasticsearch resource {@code refId}: the trust settings, the current plan and region an update must repeat,
 * whether a plan is pending, and the {@code x-cloud-resource-version} an update names to detect other writers.
 */
public record DeploymentState(String deploymentId, String refId, JsonNode document, Optional<String> version) {

    /** {@code resources.elasticsearch[i]} with this ref id (the only one when there is just one). */
    public JsonNode elasticsearch() {
        JsonNode resources = document.path("resources").path("elasticsearch");
        for (JsonNode resource : resources) {
            if (refId.equals(resource.path("ref_id").asText())) {
                return resource;
            }
        }
        return resources.size() == 1 ? resources.get(0) : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    public boolean hasElasticsearch() {
        return !elasticsearch().isMissingNode();
    }

    /** {@code info.settings.trust}; empty when the answer does not show it. */
    public Optional<ObjectNode> trust() {
        JsonNode trust = elasticsearch().path("info").path("settings").path("trust");
        return trust instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    }

    /** {@code info.plan_info.current.plan}, which an update has to send again (it is required). */
    public Optional<ObjectNode> currentPlan() {
        JsonNode plan = elasticsearch().path("info").path("plan_info").path("current").path("plan");
        return plan instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    }

    public String region() {
        JsonNode resource = elasticsearch();
        String region = resource.path("region").asText("");
        return region.isEmpty() ? resource.path("info").path("region").asText("") : region;
    }

    /** A plan change (ours or anyone's) is still being applied: {@code info.plan_info.pending} is set. */
    public boolean planPending() {
        JsonNode pending = elasticsearch().path("info").path("plan_info").path("pending");
        return !pending.isMissingNode() && !pending.isNull();
    }

    /** The deployment's name, for the names of the entries that trust it. */
    public String name() {
        return document.path("name").asText(null);
    }
}

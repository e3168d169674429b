package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.domain.TrustSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code PUT /deployments/{id}} ({@code DeploymentUpdateRequest}). cloud-sim applies only what it simulates: the
 * Elasticsearch resource's {@code settings.trust}. The plan must be the current one (same version; the topology is
 * not simulated), other resource kinds cannot be added, and trust omitted stays as it is.
 */
@ApplicationScoped
public class DeploymentUpdateService {
    private static final Logger LOG = Logger.getLogger(DeploymentUpdateService.class);
    private static final List<String> OTHER_KINDS = List.of("kibana", "apm", "appsearch", "enterprise_search",
            "integrations_server");

    private final TrustService trust;

    public DeploymentUpdateService(TrustService trust) {
        this.trust = trust;
    }

    /** What the request changes: absent = nothing, present with null settings = back to the default trust. */
    private record TrustChange(TrustSettings settings) {
    }

    /**
     * Validates and (unless {@code validateOnly}) applies the update.
     *
     * @param expectedVersion the {@code version} query parameter: refused with 409 when the deployment has changed since
     */
    public void update(SimDeployment deployment, JsonNode body, boolean validateOnly, Optional<String> expectedVersion) {
        Optional<TrustChange> change = parse(deployment, body);
        if (validateOnly) {
            return;
        }
        deployment.writeLock().lock();
        try {
            if (expectedVersion.isPresent() && !expectedVersion.get().equals(String.valueOf(deployment.resourceVersion()))) {
                throw new CloudApiException(409, "deployments.deployment_version_conflict", "The deployment has version ["
                        + deployment.resourceVersion() + "], not [" + expectedVersion.get() + "]; read it again and retry.",
                        List.of("version"));
            }
            if (change.isPresent()) {
                trust.replace(deployment, change.get().settings());
                LOG.infof("trust settings of %s replaced (plan pending until reloaded)", deployment.config().name());
            }
            deployment.touch();
        } finally {
            deployment.writeLock().unlock();
        }
    }

    private Optional<TrustChange> parse(SimDeployment deployment, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("", "The request body must be a DeploymentUpdateRequest object.");
        }
        if (!body.path("prune_orphans").isBoolean()) {
            throw invalid("prune_orphans", "Missing required boolean field [prune_orphans].");
        }
        if (body.path("settings").has("trust")) {
            throw invalid("settings.trust", "Trust belongs to the Elasticsearch resource: resources.elasticsearch[].settings.trust.");
        }
        JsonNode resources = body.get("resources");
        if (resources == null || resources.isNull()) {
            return Optional.empty();
        }
        if (!resources.isObject()) {
            throw invalid("resources", "Expected an object.");
        }
        for (String kind : OTHER_KINDS) {
            JsonNode items = resources.get(kind);
            if (items != null && !items.isNull() && (!items.isArray() || !items.isEmpty())) {
                throw invalid("resources." + kind, "cloud-sim deployments have no " + kind + " resource.");
            }
        }
        JsonNode elasticsearch = resources.get("elasticsearch");
        if (elasticsearch == null || elasticsearch.isNull()) {
            return Optional.empty();
        }
        if (!elasticsearch.isArray() || elasticsearch.size() > 1) {
            throw invalid("resources.elasticsearch", "Expected an array with the deployment's one Elasticsearch resource.");
        }
        if (elasticsearch.isEmpty()) {
            return Optional.empty();
        }
        return elasticsearchPayload(deployment, elasticsearch.get(0), "resources.elasticsearch[0].");
    }

    private Optional<TrustChange> elasticsearchPayload(SimDeployment deployment, JsonNode payload, String at) {
        if (!payload.isObject()) {
            throw invalid(at.substring(0, at.length() - 1), "Expected an ElasticsearchPayload object.");
        }
        String refId = text(payload, "ref_id", at);
        if (!refId.equals(deployment.config().refId())) {
            throw invalid(at + "ref_id", "The deployment's Elasticsearch resource is [" + deployment.config().refId()
                    + "]; cloud-sim cannot add resources.");
        }
        String region = text(payload, "region", at);
        if (!region.equals(deployment.environment().region())) {
            throw invalid(at + "region", "The resource runs in [" + deployment.environment().region() + "].");
        }
        JsonNode plan = payload.get("plan");
        if (plan == null || !plan.isObject()) {
            throw invalid(at + "plan", "Missing required field [plan].");
        }
        if (!plan.path("cluster_topology").isArray()) {
            throw invalid(at + "plan.cluster_topology", "Missing required field [cluster_topology].");
        }
        if (!plan.path("elasticsearch").isObject()) {
            throw invalid(at + "plan.elasticsearch", "Missing required field [elasticsearch].");
        }
        JsonNode version = plan.path("elasticsearch").get("version");
        if (version != null && !version.isNull() && !version.asText().equals(deployment.runningVersion())) {
            throw invalid(at + "plan.elasticsearch.version", "cloud-sim does not change versions: the deployment runs ["
                    + deployment.runningVersion() + "].");
        }
        JsonNode settings = payload.get("settings");
        if (settings == null || settings.isNull() || !settings.has("trust")) {
            return Optional.empty();
        }
        if (!settings.isObject()) {
            throw invalid(at + "settings", "Expected an object.");
        }
        JsonNode trustNode = settings.get("trust");
        if (trustNode.isNull()) {
            return Optional.of(new TrustChange(null));
        }
        return Optional.of(new TrustChange(trust.parse(trustNode, at + "settings.trust")));
    }

    private static String text(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw invalid(at + field, "Missing required field [" + field + "].");
        }
        return value.asText();
    }

    private static CloudApiException invalid(String field, String message) {
        return new CloudApiException(400, "root.invalid_json_request", message, field.isEmpty() ? List.of() : List.of(field));
    }
}

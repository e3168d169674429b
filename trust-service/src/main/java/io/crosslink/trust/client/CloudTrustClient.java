package io.crosslink.trust.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.elastic.CloudApi;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.trust.domain.CaCertificates;
import io.crosslink.trust.domain.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Trust settings through the Cloud API of the deployment's environment ({@code crosslink.environments.<env>}), on
 * the one Elastic client. The conditional PUT is sent once (a second send after a lost answer would meet a 409 for
 * its own change); a transient failure parks the work item that made the call. Trust payloads carry no secrets (CA
 * certificates are public); errors are redacted like every Elastic error.
 */
@ApplicationScoped
public class CloudTrustClient implements TrustClient {
    private static final Logger LOG = Logger.getLogger(CloudTrustClient.class);

    private final CloudTargets targets;
    private final CloudApi cloud;

    public CloudTrustClient(CloudTargets targets, CloudApi cloud) {
        this.targets = targets;
        this.cloud = cloud;
    }

    @Override
    public DeploymentState readDeployment(DeploymentResource resource) {
        ElasticAnswer answer = cloud.deployment(targets.of(resource.environment()), resource.deploymentId(), true)
                .requireOk();
        DeploymentState state = new DeploymentState(resource.deploymentId(), resource.refId(), answer.json(),
                answer.header("x-cloud-resource-version"));
        if (!state.hasElasticsearch()) {
            throw ElasticCallException.of(new StepFailure("deployments.deployment_resource_not_found",
                    "deployment [" + resource.deploymentId() + "] has no Elasticsearch resource ["
                            + resource.refId() + "]", 404, false));
        }
        return state;
    }

    @Override
    public CaCertificates readCertificateAuthority(DeploymentResource resource) {
        return CaCertificates.from(cloud.certificateAuthority(targets.of(resource.environment()),
                resource.deploymentId()).requireOk().json());
    }

    @Override
    public void updateTrust(DeploymentResource resource, DeploymentState read, JsonNode trust) {
        ElasticAnswer answer = cloud.updateDeployment(targets.of(resource.environment()), resource.deploymentId(),
                read.version().orElse(null), EventCodec.encode(updateRequest(resource, read, trust)));
        if (answer.status() == 409) {
            throw new TrustVersionConflict(answer.failure());
        }
        answer.requireOk();
        LOG.infof("trust settings of %s/%s replaced (version %s, now %s)", resource.deploymentId(),
                resource.refId(), read.version().orElse("-"), answer.header("x-cloud-resource-version").orElse("-"));
    }

    /**
     * {@code DeploymentUpdateRequest} that changes only the Elasticsearch resource's trust: {@code prune_orphans}
     * false (other resources are not mentioned and must stay), and the current plan and region, which
     * {@code ElasticsearchPayload} requires, sent back as read.
     */
    static ObjectNode updateRequest(DeploymentResource resource, DeploymentState read, JsonNode trust) {
        ObjectNode request = EventCodec.mapper().createObjectNode().put("prune_orphans", false);
        ObjectNode payload = request.putObject("resources").putArray("elasticsearch").addObject();
        // The resource's own ref id (the request may have named it by the "_main" alias).
        payload.put("ref_id", read.elasticsearch().path("ref_id").asText(resource.refId()));
        payload.put("region", read.region());
        payload.set("plan", read.currentPlan().orElseThrow(() -> ElasticCallException.of(new StepFailure(
                "plan_unavailable", "deployment [" + resource.deploymentId() + "] shows no current plan to repeat",
                null, false))));
        payload.putObject("settings").set("trust", trust);
        return request;
    }
}

package io.crosslink.trust.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.trust.config.TrustConfig;
import io.crosslink.trust.domain.CaCertificates;
import io.crosslink.trust.domain.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

/**
 * Trust settings through the Cloud API of the deployment's environment ({@code crosslink.environments.<env>}),
 * with the JDK HTTP client as {@link CloudKeystoreClient} does (the base URL is chosen per call). One request per call,
 * nothing retried here: a transient failure parks the work item that made the call. Answers are redacted like every
 * Cloud API error (the Cloud API key); trust payloads carry no secrets (CA certificates are public).
 */
@ApplicationScoped
public class CloudTrustClient implements TrustClient {
    private static final Logger LOG = Logger.getLogger(CloudTrustClient.class);

    private final CloudApiHttp http;

    public CloudTrustClient(TrustConfig config) {
        this.http = new CloudApiHttp(config);
    }

    @Override
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public DeploymentState readDeployment(DeploymentResource resource) {
        HttpResponse<String> response = send(resource, "GET",
                deploymentPath(resource) + "?show_settings=true&show_plans=true", null);
        DeploymentState state = new DeploymentState(resource.deploymentId(), resource.refId(),
                json(response, resource), response.headers().firstValue("x-cloud-resource-version"));
        if (!state.hasElasticsearch()) {
            throw CloudApiException.of(new StepFailure("deployments.deployment_resource_not_found",
                    "deployment [" + resource.deploymentId() + "] has no Elasticsearch resource ["
                            + resource.refId() + "]", 404, false));
        }
        return state;
    }

    @Override
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public CaCertificates readCertificateAuthority(DeploymentResource resource) {
        return CaCertificates.from(json(send(resource, "GET", deploymentPath(resource) + "/certificate-authority",
                null), resource));
    }

    @Override
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public void updateTrust(DeploymentResource resource, DeploymentState read, JsonNode trust) {
        String query = read.version().map(version -> "?version=" + CloudApiHttp.segment(version)).orElse("");
        HttpResponse<String> response = send(resource, "PUT", deploymentPath(resource) + query,
                EventCodec.encode(updateRequest(resource, read, trust)));
        LOG.infof("trust settings of %s/%s replaced (version %s, now %s)", resource.deploymentId(),
                resource.refId(), read.version().orElse("-"),
                response.headers().firstValue("x-cloud-resource-version").orElse("-"));
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
        payload.set("plan", read.currentPlan().orElseThrow(() -> CloudApiException.of(new StepFailure(
                "plan_unavailable", "deployment [" + resource.deploymentId() + "] shows no current plan to repeat",
                null, false))));
        payload.putObject("settings").set("trust", trust);
        return request;
    }

    private HttpResponse<String> send(DeploymentResource resource, String method, String pathAndQuery, String body) {
        String description = method + " " + stripQuery(pathAndQuery);
        try {
            return http.send(resource, method, pathAndQuery, body, description);
        } catch (CloudApiException e) {
            if (method.equals("PUT") && Integer.valueOf(409).equals(e.failure().httpStatus())) {
                throw new TrustVersionConflict(e.failure());
            }
            throw e;
        }
    }

    private static JsonNode json(HttpResponse<String> response, DeploymentResource resource) {
        try {
            return EventCodec.mapper().readTree(response.body());
        } catch (IOException e) {
            throw CloudApiException.of(new StepFailure("invalid_response", "the Cloud API answered for deployment ["
                    + resource.deploymentId() + "] with something that is not JSON", response.statusCode(), true));
        }
    }

    static String deploymentPath(DeploymentResource resource) {
        return CloudApiHttp.deploymentPath(resource);
    }

    private static String stripQuery(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }
}

package io.crosslink.cloudsim.service;

import io.crosslink.cloudsim.config.SimConfig.EnvironmentKind;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.SimDeployment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** ECE's Elasticsearch proxy, authenticated to the node as the superuser, as ECE's own management calls are. */
@ApplicationScoped
public class ProxyService {
    private final DeploymentRegistry registry;
    private final ElasticsearchHttp http;

    public ProxyService(DeploymentRegistry registry, ElasticsearchHttp http) {
        this.registry = registry;
        this.http = http;
    }

    public Response forward(String environment, String method, String deploymentId, String kind, String refId,
            String path, String query, String managementHeader, byte[] body) {
        SimDeployment deployment = registry.find(environment, deploymentId);
        if (deployment.environment().kind() != EnvironmentKind.ECE) {
            // The Elastic Cloud API has no Elasticsearch proxy: callers use the deployment's service_url.
            throw new CloudApiException(404, "root.resource_not_found", "The requested resource cannot be found.");
        }
        if (!"elasticsearch".equals(kind)) {
            throw CloudApiException.resourceNotFound(deploymentId, refId);
        }
        registry.findElasticsearch(environment, deploymentId, refId);
        if (!"true".equalsIgnoreCase(managementHeader)) {
            throw new CloudApiException(400, "root.missing_management_header",
                    "You must specify the [X-Management-Request] HTTP header with value [true].",
                    List.of("X-Management-Request"));
        }
        String target = "/" + path + (query == null || query.isEmpty() ? "" : "?" + query);
        ElasticsearchHttp.Response response = http.send(deployment.node(), method, target, body);
        return Response.status(response.status())
                .header("Content-Type", response.contentType())
                .header("X-Elastic-Product", "Elasticsearch")
                .entity(response.body())
                .build();
    }
}

package io.crosslink.cloudsim.rest;

import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.service.CloudDocuments;
import io.crosslink.cloudsim.service.DeploymentRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Simulator-only facts (not part of the Cloud API): what a real deployment's creator learns once at
 * creation time, such as the superuser password, which tests and the local launcher hand to the services.
 */
@Path("/sim/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class SimAdminResource {
    private final DeploymentRegistry registry;
    private final CloudDocuments documents;

    public SimAdminResource(DeploymentRegistry registry, CloudDocuments documents) {
        this.registry = registry;
        this.documents = documents;
    }

    public record SimDeploymentView(String key, String id, String name, String environment, String environmentKind,
            String refId, String clusterId, String endpoint, String serviceUrl, String elasticsearchUrl,
            String username, String password, String version) {
    }

    @GET
    public List<SimDeploymentView> list() {
        return registry.all().stream().map(this::view).toList();
    }

    private SimDeploymentView view(SimDeployment d) {
        boolean running = d.hasNode();
        return new SimDeploymentView(d.key(), d.id(), d.config().name(), d.environmentName(),
                d.environment().kind().name(), d.config().refId(), d.config().clusterId(), d.endpoint(),
                documents.serviceUrl(d), running ? d.node().httpUri().toString() : null,
                running ? d.node().username() : null, running ? d.node().password() : null, d.runningVersion());
    }
}

package io.crosslink.cloudsim.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.service.CloudDocuments;
import io.crosslink.cloudsim.service.DeploymentRegistry;
import io.crosslink.cloudsim.service.SigningIdentityService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Simulator-only facts (not part of the Cloud API): what a real deployment's creator learns once at
 * creation time, such as the superuser password, which tests and the local launcher hand to the services;
 * and the signing identity switch the e2e uses to play an impostor.
 */
@Path("/sim/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class SimAdminResource {
    /** A DN-safe label: no dot, comma or wildcard can change the shape of the subject. */
    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final DeploymentRegistry registry;
    private final CloudDocuments documents;
    private final SigningIdentityService signingIdentities;

    public SimAdminResource(DeploymentRegistry registry, CloudDocuments documents, SigningIdentityService signingIdentities) {
        this.registry = registry;
        this.documents = documents;
        this.signingIdentities = signingIdentities;
    }

    /** {@code signingSubject}: the subject DN of the node's {@code node.crt} (null without a node). */
    public record SimDeploymentView(String key, String id, String name, String environment, String environmentKind,
            String refId, String clusterId, String endpoint, String serviceUrl, String elasticsearchUrl,
            String username, String password, String version, String signingSubject) {
    }

    public record SigningIdentityView(String subject) {
    }

    @GET
    public List<SimDeploymentView> list() {
        return registry.all().stream().map(this::view).toList();
    }

    /** Re-issues the node's node.crt / node.key (same CA) naming {@code clusterId} instead of its own cluster id. */
    @PUT
    @Path("{id}/signing-identity")
    @Consumes(MediaType.APPLICATION_JSON)
    public SigningIdentityView impersonate(@PathParam("id") String id, JsonNode body) {
        SimDeployment deployment = registry.byId(id);
        JsonNode value = body == null ? null : body.get("clusterId");
        String clusterId = value != null && value.isTextual() ? value.textValue().trim() : "";
        if (!CLUSTER_ID.matcher(clusterId).matches()) {
            throw new CloudApiException(400, "sim.invalid_signing_identity",
                    "clusterId is required: 1-64 letters, digits, '-' or '_'.", List.of("clusterId"));
        }
        return new SigningIdentityView(signingIdentities.impersonate(deployment, clusterId).subject());
    }

    /** Re-issues the node's genuine node.crt / node.key. */
    @DELETE
    @Path("{id}/signing-identity")
    public SigningIdentityView restore(@PathParam("id") String id) {
        return new SigningIdentityView(signingIdentities.restore(registry.byId(id)).subject());
    }

    private SimDeploymentView view(SimDeployment d) {
        boolean running = d.hasNode();
        return new SimDeploymentView(d.key(), d.id(), d.config().name(), d.environmentName(),
                d.environment().kind().name(), d.config().refId(), d.config().clusterId(), d.endpoint(),
                documents.serviceUrl(d), running ? d.node().httpUri().toString() : null,
                running ? d.node().username() : null, running ? d.node().password() : null, d.runningVersion(),
                signingIdentities.currentSubject(d).orElse(null));
    }
}

package io.crosslink.cloudsim.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.service.CloudDocuments;
import io.crosslink.cloudsim.service.DeploymentRegistry;
import io.crosslink.cloudsim.service.DeploymentUpdateService;
import io.crosslink.cloudsim.service.KeystoreService;
import io.crosslink.cloudsim.service.RemoteClustersService;
import io.crosslink.cloudsim.service.RestartService;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/** The deployment part of the Cloud API ({@code /api/v1/deployments}); maps and delegates. */
@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsResource {
    private final CallerEnvironment caller;
    private final DeploymentRegistry registry;
    private final CloudDocuments documents;
    private final KeystoreService keystore;
    private final RemoteClustersService remoteClusters;
    private final RestartService restarts;
    private final DeploymentUpdateService updates;

    public DeploymentsResource(CallerEnvironment caller, DeploymentRegistry registry, CloudDocuments documents,
            KeystoreService keystore, RemoteClustersService remoteClusters, RestartService restarts,
            DeploymentUpdateService updates) {
        this.updates = updates;
        this.caller = caller;
        this.registry = registry;
        this.documents = documents;
        this.keystore = keystore;
        this.remoteClusters = remoteClusters;
        this.restarts = restarts;
    }

    @GET
    public ObjectNode list() {
        return documents.listing(registry.inEnvironment(caller.name()));
    }

    @GET
    @Path("{deployment_id}")
    public Response get(@PathParam("deployment_id") String id,
            @QueryParam("show_settings") @DefaultValue("false") boolean showSettings) {
        SimDeployment deployment = registry.find(caller.name(), id);
        return withResourceHeaders(Response.ok(documents.deployment(deployment, showSettings)), deployment);
    }

    /** {@code DeploymentUpdateRequest}: applies {@code resources.elasticsearch[0].settings.trust} (see README). */
    @PUT
    @Path("{deployment_id}")
    public Response update(@PathParam("deployment_id") String id,
            @QueryParam("validate_only") @DefaultValue("false") boolean validateOnly,
            @QueryParam("version") String version, JsonNode body) {
        SimDeployment deployment = registry.find(caller.name(), id);
        updates.update(deployment, body, validateOnly, Optional.ofNullable(version).filter(v -> !v.isBlank()));
        return withResourceHeaders(Response.ok(documents.updated(deployment)), deployment);
    }

    @GET
    @Path("{deployment_id}/certificate-authority")
    public ObjectNode certificateAuthority(@PathParam("deployment_id") String id) {
        return documents.certificateAuthority(registry.find(caller.name(), id));
    }

    private static Response withResourceHeaders(Response.ResponseBuilder response, SimDeployment deployment) {
        return response.header("x-cloud-resource-version", deployment.resourceVersion())
                .header("x-cloud-resource-created", deployment.created().toString())
                .header("x-cloud-resource-last-modified", deployment.lastModified().toString())
                .build();
    }

    @GET
    @Path("{deployment_id}/elasticsearch/{ref_id}/keystore")
    public ObjectNode getKeystore(@PathParam("deployment_id") String id, @PathParam("ref_id") String refId) {
        return documents.keystore(keystore.contents(registry.findElasticsearch(caller.name(), id, refId)));
    }

    @PATCH
    @Path("{deployment_id}/elasticsearch/{ref_id}/keystore")
    public ObjectNode patchKeystore(@PathParam("deployment_id") String id, @PathParam("ref_id") String refId,
            JsonNode body) {
        return documents.keystore(keystore.patch(registry.findElasticsearch(caller.name(), id, refId), body));
    }

    @GET
    @Path("{deployment_id}/elasticsearch/{ref_id}/remote-clusters")
    public ObjectNode getRemoteClusters(@PathParam("deployment_id") String id, @PathParam("ref_id") String refId) {
        return remoteClusters.list(registry.findElasticsearch(caller.name(), id, refId));
    }

    @PUT
    @Path("{deployment_id}/elasticsearch/{ref_id}/remote-clusters")
    public Response putRemoteClusters(@PathParam("deployment_id") String id, @PathParam("ref_id") String refId,
            JsonNode body) {
        remoteClusters.replace(caller.name(), registry.findElasticsearch(caller.name(), id, refId), body);
        return Response.accepted(documents.empty()).build();
    }

    @POST
    @Path("{deployment_id}/elasticsearch/{ref_id}/_restart")
    public Response restart(@PathParam("deployment_id") String id, @PathParam("ref_id") String refId) {
        restarts.restartAsync(registry.findElasticsearch(caller.name(), id, refId));
        return Response.accepted(documents.empty()).build();
    }
}

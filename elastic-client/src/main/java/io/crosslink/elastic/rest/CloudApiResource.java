package io.crosslink.elastic.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Elastic Cloud / ECE RESTful API calls Crosslink makes (the official spec's paths and parameters), for the
 * Quarkus REST client. Bodies travel as JSON text and answers of every status come back as they are:
 * {@link io.crosslink.elastic.ElasticTransport} applies the one policy to them.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface CloudApiResource {

    /** {@code getDeployment}: {@code DeploymentGetResponse}. */
    @GET
    @Path("/deployments/{deployment_id}")
    Response deployment(@PathParam("deployment_id") String deploymentId,
            @QueryParam("show_settings") Boolean showSettings, @QueryParam("show_plans") Boolean showPlans);

    /** {@code updateDeployment}: {@code DeploymentUpdateRequest}, conditional on {@code version} when given. */
    @PUT
    @Path("/deployments/{deployment_id}")
    Response updateDeployment(@PathParam("deployment_id") String deploymentId, @QueryParam("version") String version,
            String deploymentUpdateRequest);

    /** {@code getCurrentAccount}: {@code AccountResponse}. */
    @GET
    @Path("/account")
    Response account();

    /** {@code getDeploymentCertificateAuthority}: {@code CertificateAuthority}. */
    @GET
    @Path("/deployments/{deployment_id}/certificate-authority")
    Response certificateAuthority(@PathParam("deployment_id") String deploymentId);

    /** {@code getDeploymentEsResourceRemoteClusters}: {@code RemoteResources}. */
    @GET
    @Path("/deployments/{deployment_id}/elasticsearch/{ref_id}/remote-clusters")
    Response remoteClusters(@PathParam("deployment_id") String deploymentId, @PathParam("ref_id") String refId);

    /** {@code setDeploymentEsResourceRemoteClusters}: replaces the whole list (202). */
    @PUT
    @Path("/deployments/{deployment_id}/elasticsearch/{ref_id}/remote-clusters")
    Response putRemoteClusters(@PathParam("deployment_id") String deploymentId, @PathParam("ref_id") String refId,
            String remoteResources);

    /** {@code getDeploymentEsResourceKeystore}: {@code KeystoreContents}, names only. */
    @GET
    @Path("/deployments/{deployment_id}/elasticsearch/{ref_id}/keystore")
    Response keystore(@PathParam("deployment_id") String deploymentId, @PathParam("ref_id") String refId);

    /** {@code setDeploymentEsResourceKeystore}: adds, replaces or (without a value) removes the entries it names. */
    @PATCH
    @Path("/deployments/{deployment_id}/elasticsearch/{ref_id}/keystore")
    Response patchKeystore(@PathParam("deployment_id") String deploymentId, @PathParam("ref_id") String refId,
            String keystoreContents);
}

package io.crosslink.elastic.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Elasticsearch REST calls Crosslink makes on a deployment, for the Quarkus REST client. Bodies travel as JSON
 * text and answers of every status come back as they are: {@link io.crosslink.elastic.ElasticTransport} applies the
 * one policy to them.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ElasticsearchResource {

    @POST
    @Path("/_security/cross_cluster/api_key")
    Response createCrossClusterApiKey(String request);

    @GET
    @Path("/_security/api_key")
    Response apiKeys(@QueryParam("name") String name, @QueryParam("active_only") Boolean activeOnly);

    @DELETE
    @Path("/_security/api_key")
    Response invalidateApiKeys(String request);

    @GET
    @Path("/_security/role/{name}")
    Response role(@PathParam("name") String name);

    @PUT
    @Path("/_security/role/{name}")
    Response putRole(@PathParam("name") String name, String role);

    @DELETE
    @Path("/_security/role/{name}")
    Response deleteRole(@PathParam("name") String name);

    @GET
    @Path("/_cluster/settings")
    Response clusterSettings(@QueryParam("include_defaults") Boolean includeDefaults);

    @PUT
    @Path("/_cluster/settings")
    Response putClusterSettings(String settings);

    @GET
    @Path("/_resolve/cluster/{expression}")
    Response resolveCluster(@PathParam("expression") String expression, @QueryParam("timeout") String timeout);

    @GET
    @Path("/_remote/info")
    Response remoteInfo();

    @GET
    @Path("/{index}/_search")
    Response search(@PathParam("index") String index, @QueryParam("size") Integer size);
}

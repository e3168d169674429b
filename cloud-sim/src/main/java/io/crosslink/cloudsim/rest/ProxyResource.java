package io.crosslink.cloudsim.rest;

import io.crosslink.cloudsim.service.ProxyService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** ECE's Elasticsearch proxy: management calls passed through with Elasticsearch's status and body unchanged. */
@Path("/api/v1/deployments/{deployment_id}/{resource_kind}/{ref_id}/proxy/{proxy_path: .*}")
public class ProxyResource {
    private final CallerEnvironment caller;
    private final ProxyService proxy;

    public ProxyResource(CallerEnvironment caller, ProxyService proxy) {
        this.caller = caller;
        this.proxy = proxy;
    }

    @GET
    public Response get(@PathParam("deployment_id") String id, @PathParam("resource_kind") String kind,
            @PathParam("ref_id") String refId, @PathParam("proxy_path") String path,
            @HeaderParam("X-Management-Request") String management, @Context UriInfo uri) {
        return forward("GET", id, kind, refId, path, management, uri, null);
    }

    @POST
    public Response post(@PathParam("deployment_id") String id, @PathParam("resource_kind") String kind,
            @PathParam("ref_id") String refId, @PathParam("proxy_path") String path,
            @HeaderParam("X-Management-Request") String management, @Context UriInfo uri, byte[] body) {
        return forward("POST", id, kind, refId, path, management, uri, body);
    }

    @PUT
    public Response put(@PathParam("deployment_id") String id, @PathParam("resource_kind") String kind,
            @PathParam("ref_id") String refId, @PathParam("proxy_path") String path,
            @HeaderParam("X-Management-Request") String management, @Context UriInfo uri, byte[] body) {
        return forward("PUT", id, kind, refId, path, management, uri, body);
    }

    @DELETE
    public Response delete(@PathParam("deployment_id") String id, @PathParam("resource_kind") String kind,
            @PathParam("ref_id") String refId, @PathParam("proxy_path") String path,
            @HeaderParam("X-Management-Request") String management, @Context UriInfo uri, byte[] body) {
        return forward("DELETE", id, kind, refId, path, management, uri, body);
    }

    private Response forward(String method, String id, String kind, String refId, String path, String management,
            UriInfo uri, byte[] body) {
        String query = uri.getRequestUri().getRawQuery();
        return proxy.forward(caller.name(), method, id, kind, refId, path, query, management, body);
    }
}

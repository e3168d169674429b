package io.crosslink.cloudsim.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.domain.Fault;
import io.crosslink.cloudsim.domain.FaultPhase;
import io.crosslink.cloudsim.domain.FaultSpec;
import io.crosslink.cloudsim.domain.FaultTarget;
import io.crosslink.cloudsim.service.FaultInjector;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;

/** Simulator-only: inject faults into the Cloud API and the Elasticsearch pass-throughs (see the README). */
@Path("/sim/faults")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FaultsResource {
    private final FaultInjector faults;

    public FaultsResource(FaultInjector faults) {
        this.faults = faults;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FaultView(String id, String deploymentId, FaultTarget target, String method, String path,
            FaultPhase phase, Integer status, String body, Integer retryAfterSeconds, Long latencyMs, Boolean drop,
            Integer times, Double probability, Integer pendingSeconds, long hits, Integer remaining, boolean exhausted) {

        static FaultView of(Fault fault) {
            FaultSpec spec = fault.spec();
            return new FaultView(fault.id(), spec.deploymentId(), spec.target(), spec.method(),
                    spec.path() == null ? null : spec.path().pattern(), spec.phase(), spec.status(), spec.body(),
                    spec.retryAfterSeconds(), spec.latencyMs() == 0 ? null : spec.latencyMs(), spec.drop() ? true : null,
                    spec.times(), spec.probability(), spec.pendingSeconds(), fault.hits(), fault.remaining(), fault.exhausted());
        }
    }

    public record FaultList(List<FaultView> faults) {
    }

    @POST
    public Response create(JsonNode body, @Context UriInfo uri) {
        Fault fault = faults.create(body);
        return Response.created(uri.getAbsolutePathBuilder().path(fault.id()).build()).entity(FaultView.of(fault)).build();
    }

    @GET
    public FaultList list() {
        return new FaultList(faults.list().stream().map(FaultView::of).toList());
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        faults.remove(id);
        return Response.noContent().build();
    }

    @DELETE
    public Response clear() {
        faults.clear();
        return Response.noContent().build();
    }
}

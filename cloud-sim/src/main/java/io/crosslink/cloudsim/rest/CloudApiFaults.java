package io.crosslink.cloudsim.rest;

import io.crosslink.cloudsim.domain.Fault;
import io.crosslink.cloudsim.domain.FaultPhase;
import io.crosslink.cloudsim.domain.FaultSpec;
import io.crosslink.cloudsim.domain.FaultTarget;
import io.crosslink.cloudsim.domain.FaultedCall;
import io.crosslink.cloudsim.service.FaultInjector;
import io.crosslink.cloudsim.service.FaultReplies;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Applies faults to Cloud API calls ({@code /api/v1/...}) after authentication. ECE's Elasticsearch proxy API
 * counts as Elasticsearch, matched on the path after {@code /proxy}. Phase before answers (or drops) without
 * running the resource; phase after lets the resource act and then replaces or drops its answer.
 */
public class CloudApiFaults {
    private static final String APPLIED = CloudApiFaults.class.getName() + ".applied";
    private static final Pattern DEPLOYMENT = Pattern.compile("/api/v1/deployments/([^/]+)(?:/.*)?");
    private static final Pattern PROXY = Pattern.compile("/api/v1/deployments/([^/]+)/[^/]+/[^/]+/proxy(/.*)?");

    private final FaultInjector faults;
    private final FaultReplies replies;
    private final CurrentVertxRequest vertxRequest;

    public CloudApiFaults(FaultInjector faults, FaultReplies replies, CurrentVertxRequest vertxRequest) {
        this.faults = faults;
        this.replies = replies;
        this.vertxRequest = vertxRequest;
    }

    private record Applied(Fault fault, FaultTarget target) {
    }

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Response> before(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/v1/")) {
            return Uni.createFrom().nullItem();
        }
        FaultedCall call = call(request.getMethod(), path);
        Optional<Fault> claimed = faults.claim(call);
        if (claimed.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        Fault fault = claimed.get();
        if (fault.spec().phase() == FaultPhase.AFTER) {
            request.setProperty(APPLIED, new Applied(fault, call.target()));
            return Uni.createFrom().nullItem();
        }
        HttpServerResponse connection = vertxRequest.getCurrent().response();
        return delay(fault.spec()).map(ignored -> {
            if (fault.spec().drop()) {
                // Closes the connection; the aborting answer below is never delivered, the resource never runs.
                connection.close();
                return Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
            }
            if (fault.spec().status() != null) {
                return answer(replies.reply(fault, call.target()));
            }
            return null;
        });
    }

    @ServerResponseFilter(priority = Priorities.USER + 100)
    public Uni<Void> after(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(APPLIED) instanceof Applied applied)) {
            return Uni.createFrom().voidItem();
        }
        FaultSpec spec = applied.fault().spec();
        HttpServerResponse connection = vertxRequest.getCurrent().response();
        return delay(spec).invoke(() -> {
            if (spec.drop()) {
                connection.close();
            } else if (spec.status() != null) {
                replace(response, replies.reply(applied.fault(), applied.target()));
            }
        });
    }

    static FaultedCall call(String method, String path) {
        Matcher proxy = PROXY.matcher(path);
        if (proxy.matches()) {
            return new FaultedCall(FaultTarget.ELASTICSEARCH, proxy.group(1),
                    method, proxy.group(2) == null ? "/" : proxy.group(2));
        }
        Matcher deployment = DEPLOYMENT.matcher(path);
        return new FaultedCall(FaultTarget.CLOUD_API, deployment.matches() ? deployment.group(1) : null, method, path);
    }

    private static Uni<Void> delay(FaultSpec spec) {
        Uni<Void> now = Uni.createFrom().voidItem();
        return spec.latencyMs() > 0 ? now.onItem().delayIt().by(Duration.ofMillis(spec.latencyMs())) : now;
    }

    private static Response answer(FaultReplies.Reply reply) {
        Response.ResponseBuilder builder = Response.status(reply.status()).type(reply.contentType()).entity(reply.body());
        reply.headers().forEach(builder::header);
        return builder.build();
    }

    private static void replace(ContainerResponseContext response, FaultReplies.Reply reply) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.clear();
        response.setStatus(reply.status());
        response.setEntity(reply.body(), new Annotation[0], MediaType.valueOf(reply.contentType()));
        reply.headers().forEach(headers::putSingle);
    }
}

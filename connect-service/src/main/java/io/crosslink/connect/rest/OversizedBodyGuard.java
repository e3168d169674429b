package io.crosslink.connect.rest;

import io.crosslink.events.EventCodec;
import io.crosslink.events.Violation;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bodies above the HTTP layer's backstop ({@code quarkus.http.limits.max-body-size}) answered as problem+json, like
 * every other error of the API. Quarkus refuses them before any resource runs, with a bare 413 (its upload-limit
 * route); this route runs just before that one, for a declared {@code Content-Length}, and reads nothing of the body.
 * A chunked body (no length) that grows past the limit is still cut off by RESTEasy Reactive's bare 413 while it is
 * read: no route sees that answer before it is written.
 */
@ApplicationScoped
public class OversizedBodyGuard {
    private static final int TOO_LARGE = 413;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::refuseDeclaredOversize);
    }

    private void refuseDeclaredOversize(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredAboveLimit(length)) {
            // The client may still be sending: close, so the rest of its body is never read.
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            answer(context);
        } else {
            context.next();
        }
    }

    private boolean declaredAboveLimit(String length) {
        try {
            return Long.parseLong(length.trim()) > limit.asLongValue();
        } catch (NumberFormatException e) {
            return false; // Vert.x itself refuses a malformed Content-Length
        }
    }

    private void answer(RoutingContext context) {
        Problem problem = Problem.of("request-too-large", "Request too large", TOO_LARGE,
                "The request body is larger than this service reads at all.",
                List.of(new Violation("body", "must be at most " + limit.asLongValue() + " bytes")));
        context.response().setStatusCode(TOO_LARGE)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(EventCodec.encode(problem));
    }
}

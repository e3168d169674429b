package io.crosslink.connect.rest;

import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.events.ConnectionStatus;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The status page (README: Status page). The HTML is open and holds no data and no secret: only what any caller of
 * the API may know (the statuses, the configured environment names and direct-access deployment ids). Its script
 * asks for a bearer token, keeps it in sessionStorage, and reads the connections through the API (list, stream,
 * POST, DELETE), so the page sees exactly what the token may see. The policy below allows scripts and styles from
 * this origin only: a document's text is never run.
 */
@Path("/")
@PermitAll
public class StatusPageResource {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(List<ConnectionStatus> statuses, List<String> environments,
                List<String> deployments);
    }

    private final ConnectConfig config;

    public StatusPageResource(ConnectConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true) // a page, not part of the API
    public Response page() {
        String html = Templates.page(List.of(ConnectionStatus.values()),
                List.copyOf(new TreeSet<>(config.environments().keySet())),
                List.copyOf(new TreeSet<>(config.deployments().keySet()))).render();
        return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .build();
    }
}

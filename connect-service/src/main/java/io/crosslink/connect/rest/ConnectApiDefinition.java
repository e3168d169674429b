package io.crosslink.connect.rest;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The OpenAPI document's frame (served at {@code /q/openapi}, Swagger UI at {@code /q/swagger-ui}): the bearer JWT
 * scheme and the error answers the operations share, all {@code application/problem+json} ({@link Problem}, as
 * {@link ProblemMapper} writes them). Operations refer to these by name ({@code @APIResponse(ref = ...)}); the body
 * schemas come from the events module ({@link EventSchemaComponents}). An {@link Application} only because SmallRye
 * reads {@code @OpenAPIDefinition} there; it adds nothing to JAX-RS (every resource and mapper is still found).
 */
@OpenAPIDefinition(
        info = @Info(title = "Crosslink connect-service", version = "v1", description = """
                Connects Elasticsearch deployments as remote clusters: request a connection, follow its status and \
                timeline, disconnect it. Every call needs a bearer JWT (issuer and audience as configured; roles in \
                `groups`, the team in `crosslink_team`); each operation names the roles it accepts. Errors are \
                RFC 9457 problems (application/problem+json) naming each offending field."""),
        components = @Components(responses = {
                @APIResponse(name = ConnectApiDefinition.INVALID, responseCode = "400", description = """
                        Invalid request, nothing stored: malformed JSON (a key given twice, anything after the value), \
                        unknown or missing fields, wrong types, or a rule of the request refused; each violation \
                        names the field by its path (e.g. `roles[0].indices[0].names[1]`).""",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ConnectApiDefinition.UNAUTHORIZED, responseCode = "401", description = """
                        No bearer token, or one that failed verification (malformed, expired, another issuer, \
                        audience or key); the violation names `Authorization`.""",
                        headers = @Header(name = "WWW-Authenticate", required = true,
                                description = "`Bearer`, or `Bearer error=\"invalid_token\"...` for a refused token",
                                schema = @Schema(type = SchemaType.STRING)),
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ConnectApiDefinition.FORBIDDEN, responseCode = "403", description = """
                        The token lacks the role (violation `groups`) or a usable team (`crosslink_team`), or the \
                        request is outside the team's policy (the field and the rule named).""",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ConnectApiDefinition.NOT_FOUND, responseCode = "404", description = """
                        No such connection, or another team's (the same answer).""",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ConnectApiDefinition.CONFLICT, responseCode = "409", description = """
                        The alias is used by a live connection of the same local deployment (`alias-in-use`, \
                        violation `alias`), or the Idempotency-Key was used by the team with another body \
                        (`idempotency-key-reused`, violation `Idempotency-Key`).""",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ConnectApiDefinition.TOO_LARGE, responseCode = "413", description = "The body is"
                        + " larger than " + ConnectionResource.MAX_BODY_BYTES + " bytes (violation `body`), nothing stored.",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ConnectApiDefinition.INTERNAL, responseCode = "500", description = """
                        An unexpected failure (logged by the service; no details in the answer).""",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
        }))
@SecurityScheme(securitySchemeName = ConnectApiDefinition.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "A JWT of the configured issuer (mp.jwt.verify.issuer) whose audience contains"
                + " crosslink: roles in the groups claim, the team in crosslink_team, the requester in sub.")
public class ConnectApiDefinition extends Application {
    static final String BEARER = "bearer";
    static final String INVALID = "InvalidRequest";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String FORBIDDEN = "Forbidden";
    static final String NOT_FOUND = "NotFound";
    static final String CONFLICT = "Conflict";
    static final String TOO_LARGE = "RequestTooLarge";
    static final String INTERNAL = "InternalError";
}

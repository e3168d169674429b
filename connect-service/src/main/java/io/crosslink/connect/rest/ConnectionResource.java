package io.crosslink.connect.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.service.ConnectionService;
import io.crosslink.connect.service.InvalidRequestException;
import io.crosslink.connect.service.RequestValidator;
import io.crosslink.connect.service.StreamFilter;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Violation;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The connections API: maps HTTP to {@link ConnectionService} and back. Bodies are read and written with the
 * events' codec, so a document here is byte for byte what {@code connection-status} carries. Every call needs a
 * verified bearer token (401 otherwise) and one of the roles {@link Caller} names for it (403), checked before
 * anything of the request is read.
 *
 * <p>The OpenAPI annotations describe the calls by hand because the body is read as a String (to keep the strict
 * parsing below): bodies by the events' schemas ({@link EventSchemaComponents}), errors by {@link ConnectApiDefinition}.
 * {@code OpenApiDocumentTest} fails for an endpoint without them.
 */
@Path("/api/v1/connections")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = ConnectApiDefinition.BEARER)
@Tag(name = "connections", description = "Remote-cluster connections between Elasticsearch deployments")
public class ConnectionResource {
    private static final String REQUESTERS = "Roles (any of): `" + Caller.REQUEST + "`, `" + Caller.ADMIN + "`.";
    static final String READERS = "Roles (any of): `" + Caller.READ + "`, `" + Caller.REQUEST + "`, `"
            + Caller.ADMIN + "`.";
    private static final String STATUS_URL = "`/api/v1/connections/{id}`: the connection's status URL";
    static final int MAX_SIZE = 200;
    static final int MAX_IDEMPOTENCY_KEY = 255;
    /** ({@code quarkus.http.limits.max-body-size} refuses anything above 1 MiB before it is read.) */
    static final int MAX_BODY_BYTES = RequestValidator.MAX_REQUEST_BYTES;
    /** One JSON value, each key once: a second value after it ({@code {...} <script>}) is no body to half-read. */
    private static final ObjectReader JSON = EventCodec.mapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ConnectionService connections;
    private final JsonWebToken token;

    public ConnectionResource(ConnectionService connections, JsonWebToken token) {
        this.connections = connections;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "requestConnection", summary = "Request a connection", description = REQUESTERS + """
             The connection belongs to the caller's team (an admin without a team: to no team) and must be within \
            the team's policy. The body is read strictly: a key given twice, anything after the JSON value, unknown \
            fields at any depth, missing or mistyped fields answer 400 naming each field by its path. An accepted \
            request is checked against the Cloud API and run as a saga: follow it with GET on the Location.""")
    @RequestBody(required = true, description = "The connection to make (api_key or tls_certificate model).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = EventSchemaComponents.REQUEST)))
    @APIResponse(responseCode = "202", description = "Accepted: the new connection (REQUESTED), or the existing one"
            + " when the team sent this Idempotency-Key with the same body before (nothing new is started).",
            headers = @Header(name = "Location", description = STATUS_URL, required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = EventSchemaComponents.DOCUMENT)))
    @APIResponse(responseCode = "400", ref = ConnectApiDefinition.INVALID)
    @APIResponse(responseCode = "401", ref = ConnectApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ConnectApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "409", ref = ConnectApiDefinition.CONFLICT)
    @APIResponse(responseCode = "413", ref = ConnectApiDefinition.TOO_LARGE)
    @APIResponse(responseCode = "500", ref = ConnectApiDefinition.INTERNAL)
    public Response create(String body, @Parameter(in = ParameterIn.HEADER, description = "Makes a retry safe: within"
            + " the caller's team the same key with the same body answers the existing connection, with another body"
            + " 409.", schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = MAX_IDEMPOTENCY_KEY,
                    pattern = "\\S")) @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Caller caller = caller(Caller.REQUESTERS);
        JsonNode json = parse(body);
        ConnectionService.Submission submission = connections.submit(json, idempotencyKey(idempotencyKey), caller);
        return Response.accepted(EventCodec.encode(submission.document()))
                .location(statusUrl(submission.document()))
                .build();
    }

    private static URI statusUrl(ConnectionDocument document) {
        return URI.create("/api/v1/connections/" + document.id());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getConnection", summary = "A connection's status and timeline", description = READERS
            + " Own team's connections only; admins every connection.")
    @APIResponse(responseCode = "200", description = "The connection document (as on the topic connection-status).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = EventSchemaComponents.DOCUMENT)))
    @APIResponse(responseCode = "401", ref = ConnectApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ConnectApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ConnectApiDefinition.NOT_FOUND)
    @APIResponse(responseCode = "500", ref = ConnectApiDefinition.INTERNAL)
    public String get(@Parameter(description = "The connection's id") @PathParam("id") String id) {
        return EventCodec.encode(connections.get(id, caller(Caller.READERS)));
    }

    /** Disconnects (VERIFIED) or cancels (in flight, FAILED): 202, Location = the status URL, body = the document. */
    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteConnection", summary = "Disconnect or cancel a connection", description = REQUESTERS
            + """
             Own team's connections only; admins every connection. VERIFIED: disconnects; in flight or FAILED: \
            cancels and undoes the completed steps; still in its checks: COMPENSATED at once; already ending or \
            ended: nothing new (idempotent).""")
    @APIResponse(responseCode = "202", description = "The connection document after the call.",
            headers = @Header(name = "Location", description = STATUS_URL, required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = EventSchemaComponents.DOCUMENT)))
    @APIResponse(responseCode = "401", ref = ConnectApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ConnectApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ConnectApiDefinition.NOT_FOUND)
    @APIResponse(responseCode = "500", ref = ConnectApiDefinition.INTERNAL)
    public Response delete(@Parameter(description = "The connection's id") @PathParam("id") String id) {
        ConnectionDocument document = connections.disconnect(id, caller(Caller.REQUESTERS));
        return Response.accepted(EventCodec.encode(document)).location(statusUrl(document)).build();
    }

    /** A non-admin lists its team's connections; {@code team} filters an admin's list. */
    @GET
    @Operation(operationId = "listConnections", summary = "List connections, newest first", description = READERS
            + " A non-admin sees its own team's connections (`team` can only narrow it); admins all, `team` filters."
            + " Blank filters are ignored.")
    @APIResponse(responseCode = "200", description = "One page of connection documents.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = EventSchemaComponents.PAGE)))
    @APIResponse(responseCode = "400", ref = ConnectApiDefinition.INVALID)
    @APIResponse(responseCode = "401", ref = ConnectApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ConnectApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "500", ref = ConnectApiDefinition.INTERNAL)
    public String list(@BeanParam ConnectionFilterParams filters,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "0",
                    defaultValue = "0")) @QueryParam("page") String page,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1",
                    maximum = "" + MAX_SIZE, defaultValue = "50")) @QueryParam("size") String size) {
        Caller caller = caller(Caller.READERS);
        List<Violation> violations = new ArrayList<>();
        StreamFilter filter = filters.read(violations);
        int parsedPage = number(page, "page", 0, 0, Integer.MAX_VALUE, violations);
        int parsedSize = number(size, "size", 50, 1, MAX_SIZE, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The query has invalid parameters.", violations);
        }
        return EventCodec.encode(connections.list(filter.status(), filter.localDeploymentId(), filter.alias(),
                filter.team(), parsedPage, parsedSize, caller));
    }

    /** The verified caller, if it holds one of {@code anyOf} (and a team, unless admin); else 403. */
    private Caller caller(List<String> anyOf) {
        Caller caller = Callers.of(token);
        caller.require(anyOf);
        return caller;
    }

    /**
     * A body as every POST reads it: 400 when blank or not one JSON value (a duplicate key included), 413 above
     * {@link #MAX_BODY_BYTES}. Public for the intake's property tests.
     */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException("The request has no body.", List.of(new Violation("body", "is required")));
        }
        if (body.length() > MAX_BODY_BYTES / 3 && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new RequestTooLargeException(MAX_BODY_BYTES);
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // The location, never the parser's message: it quotes the input.
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new InvalidRequestException("The request body is not valid JSON.",
                    List.of(new Violation("body", "not valid JSON" + where)));
        }
    }

    private static Optional<String> idempotencyKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY) {
            throw new InvalidRequestException("The Idempotency-Key header is invalid.", List.of(new Violation(
                    "Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " non-blank characters")));
        }
        return Optional.of(key);
    }

    private static int number(String value, String name, int fallback, int min, int max, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(new Violation(name, max == Integer.MAX_VALUE ? "must be an integer >= " + min
                : "must be an integer from " + min + " to " + max));
        return fallback;
    }
}

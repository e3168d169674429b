package io.crosslink.connect.rest;

import io.crosslink.connect.service.Caller;
import io.crosslink.connect.service.InvalidRequestException;
import io.crosslink.connect.service.StatusBroadcast;
import io.crosslink.connect.service.StreamFilter;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Violation;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Live status changes as server-sent events: every document published on {@code connection-status} from now on
 * (whichever instance made the change) that the caller may read and that matches the filters. Authorized exactly as
 * the list: a bearer token with a reader role, a non-admin's stream holds only its team's connections. The stream
 * ends when the token expires; the client then reconnects with a fresh one (and reads the list again for what it
 * missed).
 */
@Path("/api/v1/connections/stream")
@Authenticated
@SecurityRequirement(name = ConnectApiDefinition.BEARER)
@Tag(name = "connections")
public class ConnectionStreamResource {
    /** Sent before any document: the stream is subscribed, nothing published from here on is missed. */
    static final String READY = "ready";
    /** One connection's new document (the data: the document, as GET answers it). */
    static final String STATUS = "status";
    /** A comment now and then keeps proxies from closing an idle stream and finds closed clients. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Duration NO_EXPIRY = Duration.ofDays(1);
    /** Mutiny wants a positive duration; a token accepted at its last moment gets a stream that ends at once. */
    private static final Duration MIN_LIFE = Duration.ofMillis(1);

    private final StatusBroadcast broadcast;
    private final JsonWebToken token;
    /** The verifier's leeway past {@code exp} (smallrye-jwt's default, 60 s): the token is accepted that long. */
    private final Duration clockSkew;

    public ConnectionStreamResource(StatusBroadcast broadcast, JsonWebToken token,
            @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") int clockSkewSeconds) {
        this.broadcast = broadcast;
        this.token = token;
        this.clockSkew = Duration.ofSeconds(clockSkewSeconds);
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "streamConnections", summary = "Follow status changes live (server-sent events)",
            description = ConnectionResource.READERS + " Own team's connections only (an admin's: every team's, `team` filters). First an event `"
                    + READY + "`, then an event `" + STATUS + "` with the connection's whole document each time it"
                    + " changes, as on the topic connection-status; a comment every 15 s. Only changes from the"
                    + " subscription on: read the list for the state before. The stream ends when the token expires."
                    + " Blank filters are ignored.")
    @APIResponse(responseCode = "200", description = "The event stream.",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", ref = ConnectApiDefinition.INVALID)
    @APIResponse(responseCode = "401", ref = ConnectApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ConnectApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "500", ref = ConnectApiDefinition.INTERNAL)
    public Multi<OutboundSseEvent> stream(@BeanParam ConnectionFilterParams filters, @Context Sse sse) {
        Caller caller = Callers.of(token);
        caller.require(Caller.READERS);
        List<Violation> violations = new ArrayList<>();
        StreamFilter filter = filters.read(violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The query has invalid parameters.", violations);
        }

        // Merged in this order: the broadcast is subscribed before READY goes out.
        Multi<OutboundSseEvent> documents = broadcast.follow(caller, filter)
                .map(document -> sse.newEventBuilder().name(STATUS).id(document.id())
                        .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, EventCodec.encode(document)).build());
        Multi<OutboundSseEvent> ready = Multi.createFrom().item(() -> sse.newEventBuilder().name(READY)
                .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, "{}").build());
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(KEEP_ALIVE)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(documents, ready, keepAlive)
                .select().first(untilExpiry());
    }

    /**
     * How long the verifier still accepts the token ({@code exp} plus its leeway): the stream must not outlive the
     * authorization it was opened with. Reopened after that, it answers 401.
     */
    private Duration untilExpiry() {
        long expiry = token.getExpirationTime();
        if (expiry <= 0) {
            return NO_EXPIRY; // smallrye-jwt refuses tokens without exp; kept for a verifier that would not
        }
        Duration left = Duration.between(Instant.now(), Instant.ofEpochSecond(expiry).plus(clockSkew));
        return left.compareTo(MIN_LIFE) < 0 ? MIN_LIFE : left;
    }
}

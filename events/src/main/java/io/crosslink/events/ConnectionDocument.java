package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A connection as {@code GET /api/v1/connections/{id}} shows it and as the compacted {@code connection-status}
 * topic carries it (latest document per connection id): status, the request, and the ordered timeline.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionDocument(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) ConnectionStatus status,
        /** The request; in a REJECTED document as far as it could be read (any field may be missing). */
        @JsonProperty(required = true) @JsonDeserialize(using = RequestAsRead.class) ConnectionRequest request,
        /** The {@code requestId} of a request that came from the {@code connection-requests} topic. */
        String requestId,
        @JsonProperty(required = true) List<TimelineEntry> timeline,
        /** Why a REJECTED connection was rejected. */
        List<Violation> reasons,
        /** What a FAILED connection left behind, on which deployment (an undo that could not complete). */
        List<Leftover> leftovers,
        @JsonProperty(required = true) Instant createdAt,
        @JsonProperty(required = true) Instant updatedAt,
        /** The team that owns the connection: the requester's {@code crosslink_team} claim (absent before #14). */
        String team,
        /** Who requested it: the {@code sub} of the requester's token (absent before #14). */
        String subject) {

    /** A document without owner: as written before connections belonged to a team. */
    public ConnectionDocument(String id, ConnectionStatus status, ConnectionRequest request, String requestId,
            List<TimelineEntry> timeline, List<Violation> reasons, List<Leftover> leftovers, Instant createdAt,
            Instant updatedAt) {
        this(id, status, request, requestId, timeline, reasons, leftovers, createdAt, updatedAt, null, null);
    }

    /**
     * Something the saga created that is still there: {@code resource} is {@code api_key},
     * {@code keystore_entry}, {@code remote_cluster}, {@code role} (a local role on L) or {@code trust_entry} (certificate
     * model: an entry of the deployment's trust settings, named {@code <accounts|direct>:<scope id>}); {@code name} the key id,
     * setting, alias or role name. {@code certainty}: {@code confirmed} only after a read of the real state showed it
     * exists, {@code possible} when no read could tell.
     */
    public record Leftover(
            @JsonProperty(required = true) String deploymentId,
            @JsonProperty(required = true) String resource,
            @JsonProperty(required = true) String name,
            String reason,
            @JsonProperty(required = true) Certainty certainty) {
    }

    /** One step of the saga: what happened and, when it failed, Elastic's error (secrets redacted). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TimelineEntry(
            @JsonProperty(required = true) String step,
            @JsonProperty(required = true) String outcome,
            @JsonProperty(required = true) Instant at,
            /** The event that recorded it, e.g. {@code KeyCreated}. */
            @JsonProperty(required = true) String event,
            String errorType,
            String errorReason,
            Integer httpStatus,
            /** Local roles the step created, updated, deleted or restored on L (register_remote, remove_remote). */
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RoleChange> roles,
            /** What Elastic warned about while doing the step (its {@code Warning} headers: 9.x deprecations). */
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {

        public TimelineEntry(String step, String outcome, Instant at, String event, String errorType,
                String errorReason, Integer httpStatus) {
            this(step, outcome, at, event, errorType, errorReason, httpStatus, null, null);
        }

        public TimelineEntry(String step, String outcome, Instant at, String event, String errorType,
                String errorReason, Integer httpStatus, List<RoleChange> roles) {
            this(step, outcome, at, event, errorType, errorReason, httpStatus, roles, null);
        }
    }

    /** Reads the document's request leniently: the status schema requires a complete request unless REJECTED. */
    static final class RequestAsRead extends JsonDeserializer<ConnectionRequest> {
        @Override
        public ConnectionRequest deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return EventCodec.requestAsRead(parser.readValueAsTree());
        }
    }
}

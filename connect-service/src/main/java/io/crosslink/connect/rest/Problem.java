package io.crosslink.connect.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.crosslink.events.Violation;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem document ({@code application/problem+json}), with the violating fields when there are any. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", additionalProperties = Schema.False.class,
        description = "An RFC 9457 problem: every error answer of the API (application/problem+json).")
public record Problem(
        @Schema(required = true, pattern = "^urn:crosslink:problem:[a-z0-9-]+$",
                description = "urn:crosslink:problem:<kind>: invalid-request (400), unauthorized (401),"
                        + " forbidden (403), not-found (404), alias-in-use or idempotency-key-reused (409),"
                        + " request-too-large (413), internal-error (500), http-<status> (other HTTP errors)") String type,
        @Schema(required = true) String title,
        @Schema(required = true, minimum = "400", maximum = "599", description = "the HTTP status") int status,
        @Schema(required = true) String detail,
        @Schema(description = "each offending field (a path such as roles[0].indices[0].names[1], or a header or"
                + " claim name) and why; absent when no field is to blame", type = SchemaType.ARRAY,
                implementation = Violation.class) List<Violation> violations) {
    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:crosslink:problem:";

    public static Problem of(String kind, String title, int status, String detail, List<Violation> violations) {
        return new Problem(TYPE_PREFIX + kind, title, status, detail, violations);
    }
}

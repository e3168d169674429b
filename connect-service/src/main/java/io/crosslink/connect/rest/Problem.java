package io.crosslink.connect.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.crosslink.events.Violation;
import java.util.List;

/** An RFC 9457 problem document ({@code application/problem+json}), with the violating fields when there are any. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {
    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:crosslink:problem:";

    public static Problem of(String kind, String title, int status, String detail, List<Violation> violations) {
        return new Problem(TYPE_PREFIX + kind, title, status, detail, violations);
    }
}

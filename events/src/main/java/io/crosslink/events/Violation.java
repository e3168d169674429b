package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A field of a request and why it is not acceptable. */
public record Violation(@JsonProperty(required = true) String field, @JsonProperty(required = true) String reason) {
}

package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why a step failed: Elastic's error type and reason (Elasticsearch {@code error.type}/{@code error.reason},
 * or a Cloud API error {@code code}/{@code message}), the HTTP status when there was one, and whether
 * trying again could help. Producers redact secrets before building it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepFailure(
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) String reason,
        Integer httpStatus,
        @JsonProperty(required = true) boolean retryable) {
}

package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Strong identity: R ({@code deploymentId}) may still list L's signing CA ({@code path}) in
 * {@code cluster.remote.signing.certificate_authorities} for this connection. {@code confirmed} only after R's
 * cluster settings were read and listed it.
 */
public record SigningAuthorityLeft(
        @JsonProperty(required = true) String deploymentId,
        @JsonProperty(required = true) String path,
        @JsonProperty(required = true) Certainty certainty) {
}

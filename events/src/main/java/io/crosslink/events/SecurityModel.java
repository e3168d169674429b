package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How L authenticates to R. */
public enum SecurityModel {
    /** Cross-cluster API key in L's keystore, remote cluster server port 9443. */
    @JsonProperty("api_key")
    API_KEY,
    /** Mutual TLS trust between the deployments, transport port. */
    @JsonProperty("tls_certificate")
    TLS_CERTIFICATE
}

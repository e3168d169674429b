package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a saga's completed steps are being undone. */
public enum CompensationCause {
    /** A step failed: its failure event started compensation. Ends COMPENSATED. */
    @JsonProperty("failure")
    FAILURE,
    /** The saga's deadline passed before it was verified. Ends COMPENSATED. */
    @JsonProperty("deadline")
    DEADLINE,
    /** {@code DELETE /api/v1/connections/{id}} of a connection in flight (or FAILED: undo again). Ends COMPENSATED. */
    @JsonProperty("cancel")
    CANCEL,
    /** {@code DELETE /api/v1/connections/{id}} of a VERIFIED connection. Ends DISCONNECTED. */
    @JsonProperty("disconnect")
    DISCONNECT
}

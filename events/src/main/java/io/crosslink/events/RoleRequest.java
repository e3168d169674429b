package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A local role connect-service creates (or updates) on L once the remote is registered: its {@code indices} become
 * the role's {@code remote_indices} scoped to the connection's alias ({@code clusters: [alias]}), so a user holding
 * it can search {@code alias:<names>} with these privileges. Never wider than the connection's {@link Access}.
 */
public record RoleRequest(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) List<Indices> indices) {

    public RoleRequest {
        indices = indices == null ? List.of() : List.copyOf(indices);
    }

    /** Index names or patterns on R and the privileges on them (e.g. {@code read}, {@code view_index_metadata}). */
    public record Indices(
            @JsonProperty(required = true) List<String> names,
            @JsonProperty(required = true) List<String> privileges) {
    }
}

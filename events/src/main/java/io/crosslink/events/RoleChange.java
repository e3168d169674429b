package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What connect-service did to a local role of a connection ({@link RoleRequest}) on L: {@code created} or
 * {@code updated} when it applied it, {@code deleted} (it had created it) or {@code restored} (its previous
 * definition written back) when it undid it.
 */
public record RoleChange(@JsonProperty(required = true) String name, @JsonProperty(required = true) String action) {
    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";
    public static final String RESTORED = "restored";
}

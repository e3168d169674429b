package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The access of the cross-cluster API key, in Elasticsearch's own shape
 * ({@code POST /_security/cross_cluster/api_key} {@code access}): at least one of {@code search} and
 * {@code replication}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Access(List<Search> search, List<Replication> replication) {

    public Access {
        search = search == null ? List.of() : List.copyOf(search);
        replication = replication == null ? List.of() : List.copyOf(replication);
    }

    /** A search grant: index patterns, optionally with document and field level security. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Search(
            @JsonProperty(required = true) List<String> names,
            JsonNode query,
            @JsonProperty("field_security") FieldSecurity fieldSecurity,
            @JsonProperty("allow_restricted_indices") Boolean allowRestrictedIndices) {
    }

    /** A replication grant (cross-cluster replication): index patterns only. */
    public record Replication(@JsonProperty(required = true) List<String> names) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record FieldSecurity(List<String> grant, List<String> except) {
    }
}

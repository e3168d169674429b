package io.crosslink.key.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.crosslink.events.Access;
import io.crosslink.events.EventCodec;
import java.util.Map;

/**
 * The body of {@code POST /_security/cross_cluster/api_key}. {@link Access} serialises to Elasticsearch's own
 * shape and leaves out what was not requested (an empty {@code replication}, an absent {@code query}).
 * {@code certificate_identity} (9.3+, strong identity): the regex the DN of L's signing certificate must match; absent
 * without strong identity (older versions refuse the field).
 */
public record CrossClusterApiKeyRequest(String name, Access access, Map<String, String> metadata,
        @JsonProperty("certificate_identity") @JsonInclude(JsonInclude.Include.NON_NULL) String certificateIdentity) {

    public CrossClusterApiKeyRequest {
        metadata = Map.copyOf(metadata);
    }

    /** A key without strong identity. */
    public CrossClusterApiKeyRequest(String name, Access access, Map<String, String> metadata) {
        this(name, access, metadata, null);
    }

    /** The JSON sent to Elasticsearch; it holds no secret. */
    public String toJson() {
        try {
            return EventCodec.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the key request " + name, e);
        }
    }
}

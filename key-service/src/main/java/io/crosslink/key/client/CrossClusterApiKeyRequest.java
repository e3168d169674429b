package io.crosslink.key.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.crosslink.events.Access;
import io.crosslink.events.EventCodec;
import java.util.Map;

/**
 * The body of {@code POST /_security/cross_cluster/api_key}. {@link Access} serialises to Elasticsearch's own
 * shape and leaves out what was not requested (an empty {@code replication}, an absent {@code query}).
 */
public record CrossClusterApiKeyRequest(String name, Access access, Map<String, String> metadata) {

    public CrossClusterApiKeyRequest {
        metadata = Map.copyOf(metadata);
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

package io.crosslink.key.client;

import java.util.Map;

/** An API key as {@code GET /_security/api_key} lists it (no secret in it). */
public record ApiKeyInfo(String id, String name, Map<String, Object> metadata) {

    public ApiKeyInfo {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}

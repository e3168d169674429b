package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A secret encrypted with AES-256-GCM by SecretBox (saga-runtime): {@code keyId} names
 * the data key (so keys can rotate), {@code nonce} and {@code ciphertext} (with the tag) are base64. The
 * connection id is bound as associated data, so a sealed key cannot be replayed into another connection.
 */
public record SealedSecret(
        @JsonProperty(required = true) String keyId,
        @JsonProperty(required = true) String nonce,
        @JsonProperty(required = true) String ciphertext) {

    @Override
    public String toString() {
        return "SealedSecret[keyId=" + keyId + "]";
    }
}

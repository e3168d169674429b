package io.crosslink.key.domain;

import io.crosslink.events.SealedSecret;
import java.time.Instant;

/**
 * The cross-cluster API key key-service created for a connection, as it remembers it: enough to announce it
 * again (the encoded value only sealed) and to invalidate it on R when the saga is compensated.
 */
public record IssuedKey(
        String connectionId,
        String keyId,
        String keyName,
        String remoteDeploymentId,
        SealedSecret encodedKey,
        Instant createdAt,
        KeyState state) {

    public boolean isActive() {
        return state == KeyState.ACTIVE;
    }

    public IssuedKey invalidated() {
        return new IssuedKey(connectionId, keyId, keyName, remoteDeploymentId, encodedKey, createdAt,
                KeyState.INVALIDATED);
    }
}

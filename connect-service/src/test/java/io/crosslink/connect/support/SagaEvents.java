package io.crosslink.connect.support;

import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.runtime.secret.SecretBox;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Events of the other services, as they publish them. */
public final class SagaEvents {
    private static final SecretBox BOX = SecretBox.fromBase64(SecretBox.newDataKey());

    private SagaEvents() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    public static KeyCreated keyCreated(String connectionId, String keyId) {
        return new KeyCreated(newId(), connectionId, Instant.now(), keyId, "crosslink-" + connectionId,
                BOX.seal("encoded-key-of-" + connectionId, connectionId));
    }

    public static KeystoreUpdated keystoreUpdated(String connectionId, String alias) {
        return new KeystoreUpdated(newId(), connectionId, Instant.now(), ConnectionRequest.credentialsSetting(alias));
    }

    public static ConnectionVerified verified(String connectionId, String alias) {
        return new ConnectionVerified(newId(), connectionId, Instant.now(), alias + ":demo-*", 3, 18, 1);
    }

    public static KeystoreEntryRemoved keystoreEntryRemoved(String connectionId, String alias, boolean removed) {
        return new KeystoreEntryRemoved(newId(), connectionId, Instant.now(), ConnectionRequest.credentialsSetting(alias),
                removed);
    }

    public static KeyInvalidated keyInvalidated(String connectionId, List<String> keyIds) {
        return new KeyInvalidated(newId(), connectionId, Instant.now(), keyIds, !keyIds.isEmpty());
    }
}

package io.crosslink.key.domain;

import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.key.client.CrossClusterApiKeyRequest;
import java.util.Map;

/**
 * The key a connection needs on R: its name, its access (exactly what was requested), its metadata and, with strong
 * identity, the DN pattern of L's signing certificate that connect-service derived from L's cluster id.
 */
public final class KeySpec {
    public static final String NAME_PREFIX = "crosslink-";
    public static final String MANAGED_BY = "managed_by";
    public static final String MANAGER = "crosslink";
    public static final String CONNECTION_ID = "connection_id";

    private KeySpec() {
    }

    /** {@code crosslink-<connectionId>}: one key name per connection, so R can be searched for it. */
    public static String keyName(String connectionId) {
        return NAME_PREFIX + connectionId;
    }

    public static CrossClusterApiKeyRequest of(ConnectionRequested event) {
        ConnectionRequest request = event.request();
        return new CrossClusterApiKeyRequest(keyName(event.connectionId()), request.access(), Map.of(
                MANAGED_BY, MANAGER,
                CONNECTION_ID, event.connectionId(),
                "alias", request.alias(),
                "local_deployment_id", request.local().deploymentId()),
                event.strongIdentity() == null ? null : event.strongIdentity().certificateIdentity());
    }

    /** Whether key metadata says Crosslink made the key for this connection (and so may invalidate it). */
    public static boolean isOurs(Map<String, Object> metadata, String connectionId) {
        return MANAGER.equals(metadata.get(MANAGED_BY)) && connectionId.equals(metadata.get(CONNECTION_ID));
    }
}

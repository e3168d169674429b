package io.crosslink.connect.domain;

import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionDocument.Leftover;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The public shape of a connection: GET /api/v1/connections/{id} and the connection-status topic. */
public final class ConnectionDocuments {
    public static final String REMOTE_CLUSTER = "remote_cluster";
    public static final String KEYSTORE_ENTRY = "keystore_entry";
    public static final String API_KEY = "api_key";
    /** A local role on L the saga created or changed (name = the role). */
    public static final String ROLE = "role";

    private ConnectionDocuments() {
    }

    public static ConnectionDocument of(Connection connection) {
        List<Violation> reasons = connection.reasons();
        List<Leftover> leftovers = leftovers(connection);
        return new ConnectionDocument(connection.id, connection.status, connection.request(), connection.requestId,
                connection.timeline(), reasons.isEmpty() ? null : reasons, leftovers.isEmpty() ? null : leftovers,
                connection.createdAt, connection.updatedAt);
    }

    /**
     * What a FAILED connection left behind: per failed undo of its last chain, the resource on the deployment
     * that holds it (the deployments as read at ConnectionRequested): L's remote_cluster alias, L's keystore_entry
     * setting, R's api_key ids (every key KeyCreated reported; the key name when none was reported).
     */
    static List<Leftover> leftovers(Connection connection) {
        Optional<Compensation> chain = connection.compensation();
        if (connection.status != ConnectionStatus.FAILED || chain.isEmpty() || !chain.get().anyFailed()) {
            return List.of();
        }
        Compensation compensation = chain.get();
        ConnectionRequest request = connection.request();
        String local = deploymentId(connection.localInfo(), request.local());
        String remote = deploymentId(connection.remoteInfo(), request.remote());
        List<Leftover> leftovers = new ArrayList<>();
        if (compensation.remote() != null && compensation.remote().failed()) {
            String reason = reason(compensation.remote().failure());
            // The roles are undone before the remote is removed: any not undone is left, as is the remote.
            connection.savedRoles().stream().filter(role -> !role.undone())
                    .forEach(role -> leftovers.add(new Leftover(local, ROLE, role.name(), reason)));
            leftovers.add(new Leftover(local, REMOTE_CLUSTER, request.alias(), reason));
        }
        if (compensation.keystore() != null && compensation.keystore().failed()) {
            leftovers.add(new Leftover(local, KEYSTORE_ENTRY, request.credentialsSetting(),
                    reason(compensation.keystore().failure())));
        }
        if (compensation.key() != null && compensation.key().failed()) {
            String keyName = keyName(connection.id);
            String reason = reason(compensation.key().failure());
            List<String> keyIds = connection.keyIds();
            if (keyIds.isEmpty()) {
                leftovers.add(new Leftover(remote, API_KEY, keyName, reason));
            } else {
                keyIds.forEach(id -> leftovers.add(new Leftover(remote, API_KEY, id, "key " + keyName + ": " + reason)));
            }
        }
        return leftovers;
    }

    /** The name key-service gives the connection's API keys on R. */
    public static String keyName(String connectionId) {
        return "crosslink-" + connectionId;
    }

    private static String deploymentId(Optional<DeploymentInfo> info, DeploymentRef ref) {
        return info.map(DeploymentInfo::deploymentId).orElse(ref == null ? null : ref.deploymentId());
    }

    private static String reason(StepFailure failure) {
        return failure.type() + ": " + failure.reason();
    }
}

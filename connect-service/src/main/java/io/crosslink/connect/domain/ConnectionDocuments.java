package io.crosslink.connect.domain;

import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionDocument.Leftover;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.SigningAuthorityLeft;
import io.crosslink.events.StepFailure;
import io.crosslink.events.StrongIdentity;
import io.crosslink.events.TrustEdit;
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
    /** Certificate model: an entry of a deployment's trust settings (name = {@code <accounts|direct>:<scope id>}). */
    public static final String TRUST_ENTRY = "trust_entry";
    /** Strong identity: a CA path in R's {@code cluster.remote.signing.certificate_authorities} (name = the path). */
    public static final String SIGNING_AUTHORITY = "signing_authority";

    private ConnectionDocuments() {
    }

    public static ConnectionDocument of(Connection connection) {
        List<Violation> reasons = connection.reasons();
        List<Leftover> leftovers = leftovers(connection);
        return new ConnectionDocument(connection.id, connection.status, connection.request(), connection.requestId,
                connection.timeline(), reasons.isEmpty() ? null : reasons, leftovers.isEmpty() ? null : leftovers,
                connection.createdAt, connection.updatedAt, connection.team, connection.subject);
    }

    /**
     * What a FAILED connection left behind: per failed undo of its last chain, the resource on the deployment
     * that holds it (the deployments as read at ConnectionRequested): L's remote_cluster alias, L's keystore_entry
     * setting, R's api_key ids (every key KeyCreated reported; the key name when none was reported); in the
     * certificate model each deployment's trust_entry the saga changed ({@link #trustLeftovers}).
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
            // The roles are undone before the remote is removed: any not undone is left, as is the remote. Roles are
            // not read after the failure, so they are only possible; the remote is what connect-service read.
            connection.savedRoles().stream().filter(role -> !role.undone())
                    .forEach(role -> leftovers.add(new Leftover(local, ROLE, role.name(), reason, Certainty.POSSIBLE)));
            leftovers.add(new Leftover(local, REMOTE_CLUSTER, request.alias(), reason,
                    compensation.remote().certaintyOrPossible()));
        }
        if (compensation.keystore() != null && compensation.keystore().failed()) {
            String reason = reason(compensation.keystore().failure());
            signingAuthorityLeftover(connection, compensation.keystore(), remote, reason).ifPresent(leftovers::add);
            leftovers.add(new Leftover(local, KEYSTORE_ENTRY, request.credentialsSetting(), reason,
                    compensation.keystore().certaintyOrPossible()));
        }
        if (compensation.key() != null && compensation.key().failed()) {
            leftovers.addAll(keyLeftovers(connection, compensation.key(), remote));
        }
        if (compensation.trust() != null && compensation.trust().failed()) {
            leftovers.addAll(trustLeftovers(connection, reason(compensation.trust().failure()),
                    compensation.trust().certaintyOrPossible()));
        }
        return leftovers;
    }

    /**
     * The trust entries a failed trust undo may have left: those TrustUpdated reported changed. Without a TrustUpdated
     * (trust failed half-way, or its event never came) the entries trust-service writes for such a pair: on each side
     * the peer's account, {@code accounts} within one environment account, {@code direct} across.
     */
    static List<Leftover> trustLeftovers(Connection connection, String reason, Certainty certainty) {
        List<TrustEdit> edits = connection.trustEdits();
        if (!edits.isEmpty()) {
            return edits.stream().map(edit -> new Leftover(edit.deploymentId(), TRUST_ENTRY,
                    edit.entry() + ":" + edit.scopeId(), reason, certainty)).toList();
        }
        Optional<DeploymentInfo> local = connection.localInfo();
        Optional<DeploymentInfo> remote = connection.remoteInfo();
        if (local.isEmpty() || remote.isEmpty()) {
            return List.of();
        }
        String entry = local.get().sameAccountAs(remote.get()) ? TrustEdit.ACCOUNTS : TrustEdit.DIRECT;
        String possibly = "possibly (no TrustUpdated reported what was changed): " + reason;
        return List.of(
                new Leftover(local.get().deploymentId(), TRUST_ENTRY, entry + ":" + remote.get().accountId(), possibly,
                        Certainty.POSSIBLE),
                new Leftover(remote.get().deploymentId(), TRUST_ENTRY, entry + ":" + local.get().accountId(), possibly,
                        Certainty.POSSIBLE));
    }

    /**
     * R's keys a failed key undo left: those key-service read as still active after the failure (confirmed), else
     * every key KeyCreated reported, or the key name when none was reported (possible).
     */
    static List<Leftover> keyLeftovers(Connection connection, Compensation.Undo undo, String remote) {
        String keyName = keyName(connection.id);
        String reason = reason(undo.failure());
        if (undo.certaintyOrPossible() == Certainty.CONFIRMED && !undo.foundIds().isEmpty()) {
            return undo.foundIds().stream().map(id -> new Leftover(remote, API_KEY, id, "key " + keyName + ": " + reason,
                    Certainty.CONFIRMED)).toList();
        }
        List<String> keyIds = connection.keyIds();
        if (keyIds.isEmpty()) {
            return List.of(new Leftover(remote, API_KEY, keyName, reason, Certainty.POSSIBLE));
        }
        return keyIds.stream().map(id -> new Leftover(remote, API_KEY, id, "key " + keyName + ": " + reason,
                Certainty.POSSIBLE)).toList();
    }

    /**
     * Strong identity: R's signing CA, when trust-service reported its release failed (with its certainty), or when
     * trust-service never reported at all (undo deadline: possible). Not when it reported another failure: then the
     * CA was released first.
     */
    static Optional<Leftover> signingAuthorityLeftover(Connection connection, Compensation.Undo keystore, String remote,
            String reason) {
        SigningAuthorityLeft left = keystore.signingAuthority();
        if (left != null) {
            return Optional.of(new Leftover(left.deploymentId(), SIGNING_AUTHORITY, left.path(), reason,
                    left.certainty()));
        }
        Optional<StrongIdentity> identity = connection.strongIdentity();
        if (identity.isPresent() && StatusFolding.UNDO_DEADLINE.equals(keystore.failure().type())) {
            return Optional.of(new Leftover(remote, SIGNING_AUTHORITY, identity.get().certificateAuthority(), reason,
                    Certainty.POSSIBLE));
        }
        return Optional.empty();
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

package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.client.ConfiguredElasticsearch;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.RoleDefinitions;
import io.crosslink.connect.domain.SavedRole;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.EventCodec;
import io.crosslink.events.RoleChange;
import io.crosslink.events.RoleRequest;
import io.crosslink.events.StepFailure;
import io.crosslink.elastic.ElasticErrors;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The request's local roles on L ({@code PUT /_security/role/{name}} with {@code remote_indices} for the alias),
 * applied right after the remote is registered and undone before it is removed. Before the saga first writes a
 * role, it reads it and commits its previous definition (or that there was none) to the database: the undo then
 * deletes the roles the saga created and writes back those it changed. Runs inside the registration or removal
 * work, which holds the connection's work lock; transient Elastic errors propagate ({@code TransientElasticCallException})
 * and the work is tried again, which repeats nothing harmful (writes are derived from the saved definitions).
 */
@ApplicationScoped
public class LocalRoles {
    private final ConfiguredElasticsearch elasticsearch;

    public LocalRoles(ConfiguredElasticsearch elasticsearch) {
        this.elasticsearch = elasticsearch;
    }

    /** What a role step did, or the failure that stopped it (then {@code changes} is what was done before it). */
    public record Outcome(List<RoleChange> changes, StepFailure failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /** Creates or updates every role of the request, in order. */
    public Outcome apply(String connectionId, ConnectConfig.Deployment local, ConnectionRequest request,
            String localVersion) {
        List<RoleChange> changes = new ArrayList<>();
        for (RoleRequest role : request.rolesOrEmpty()) {
            SavedRole saved = QuarkusTransaction.requiringNew().call(() -> savedRole(connectionId, role.name()));
            if (saved == null) {
                ElasticAnswer current = elasticsearch.getRole(local, role.name());
                if (current.status() != 200 && current.status() != 404) {
                    return new Outcome(changes, failure(role.name(), "reading", current, local));
                }
                JsonNode previous = current.status() == 200
                        ? RoleDefinitions.fromGet(EventCodec.read(current.body(), JsonNode.class), role.name()) : null;
                saved = QuarkusTransaction.requiringNew().call(() -> save(connectionId, new SavedRole(role.name(),
                        previous, false)));
            }
            String body = EventCodec.encode(RoleDefinitions.applied(saved.existed() ? saved.previous() : null, role,
                    request.alias(), connectionId, localVersion));
            ElasticAnswer written = elasticsearch.putRole(local, role.name(), body);
            if (!written.ok()) {
                return new Outcome(changes, failure(role.name(), "writing", written, local));
            }
            changes.add(new RoleChange(role.name(), saved.existed() ? RoleChange.UPDATED : RoleChange.CREATED));
        }
        return new Outcome(changes, null);
    }

    /**
     * Deletes the roles the saga created and writes back the previous definition of those it changed, latest
     * first; each undone role is marked so in the database at once, so a rerun of the chain skips it.
     */
    public Outcome undo(String connectionId, ConnectConfig.Deployment local) {
        List<SavedRole> roles = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.findById(connectionId);
            return connection == null ? List.<SavedRole>of() : connection.savedRoles();
        });
        List<RoleChange> changes = new ArrayList<>();
        for (int i = roles.size() - 1; i >= 0; i--) {
            SavedRole role = roles.get(i);
            if (role.undone()) {
                continue;
            }
            ElasticAnswer answer;
            String action;
            if (role.existed()) {
                answer = elasticsearch.putRole(local, role.name(),
                        EventCodec.encode(RoleDefinitions.writable(role.previous())));
                action = RoleChange.RESTORED;
            } else {
                answer = elasticsearch.deleteRole(local, role.name());
                action = RoleChange.DELETED;
                if (answer.status() == 404) {
                    answer = new ElasticAnswer(200, answer.body());
                }
            }
            if (!answer.ok()) {
                return new Outcome(changes, failure(role.name(), role.existed() ? "restoring" : "deleting", answer, local));
            }
            QuarkusTransaction.requiringNew().run(() -> markUndone(connectionId, role.name()));
            changes.add(new RoleChange(role.name(), action));
        }
        return new Outcome(changes, null);
    }

    /**
     * The roles' undo as recorded, when every saved role is undone (none saved: empty); empty when one is not, so the
     * roles' state is unknown to a caller that gives up.
     */
    public Optional<List<RoleChange>> allUndone(String connectionId) {
        List<SavedRole> roles = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.findById(connectionId);
            return connection == null ? List.<SavedRole>of() : connection.savedRoles();
        });
        if (roles.stream().anyMatch(role -> !role.undone())) {
            return Optional.empty();
        }
        List<RoleChange> changes = new ArrayList<>();
        for (int i = roles.size() - 1; i >= 0; i--) {
            changes.add(new RoleChange(roles.get(i).name(), roles.get(i).existed() ? RoleChange.RESTORED
                    : RoleChange.DELETED));
        }
        return Optional.of(changes);
    }

    private static SavedRole savedRole(String connectionId, String name) {
        Connection connection = Connection.findById(connectionId);
        return connection == null ? null : connection.savedRole(name).orElse(null);
    }

    private static SavedRole save(String connectionId, SavedRole role) {
        Connection connection = Connection.lockedById(connectionId);
        connection.saveRole(role);
        return connection.savedRole(role.name()).orElseThrow();
    }

    private static void markUndone(String connectionId, String name) {
        Connection connection = Connection.lockedById(connectionId);
        if (connection != null) {
            connection.savedRoles(connection.savedRoles().stream()
                    .map(role -> role.name().equals(name) ? role.markUndone() : role).toList());
        }
    }

    private static StepFailure failure(String role, String doing, ElasticAnswer answer, ConnectConfig.Deployment local) {
        StepFailure failure = ElasticErrors.fromResponse(answer.status(), answer.body(), local.password());
        return new StepFailure(failure.type(), doing + " role [" + role + "]: " + failure.reason(), failure.httpStatus(),
                failure.retryable());
    }
}

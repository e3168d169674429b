package io.crosslink.key.repository;

import io.crosslink.events.SecurityModel;
import io.crosslink.events.UndoChain;
import io.crosslink.key.domain.TrackedConnection;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A row of {@code tracked_connection}: R and the compensation flags of a connection (see
 * {@link TrackedConnection}). Its row lock serialises everything key-service does to one connection.
 */
@Entity
@Table(name = "tracked_connection")
public class TrackedConnectionEntity extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id", length = 64)
    public String connectionId;

    @Enumerated(EnumType.STRING)
    @Column(name = "security_model", length = 32)
    public SecurityModel securityModel;

    @Column(name = "remote_environment", length = 100)
    public String remoteEnvironment;

    @Column(name = "remote_deployment_id", length = 64)
    public String remoteDeploymentId;

    @Column(nullable = false)
    public boolean compensating;

    @Column(name = "undo_requested", nullable = false)
    public boolean undoRequested;

    /** With {@link #undoChainDeadline}: the run of the latest undo request, null before one (or in older events). */
    @Column(name = "undo_chain_id", length = 64)
    public String undoChainId;

    @Column(name = "undo_chain_deadline")
    public Instant undoChainDeadline;

    @Column(name = "request_unread", nullable = false)
    public boolean requestUnread;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The connection's row, created when missing, locked ({@code FOR UPDATE}) until the transaction ends. */
    static TrackedConnectionEntity lock(String connectionId) {
        // Insert-if-absent first: a row that does not exist yet cannot be locked.
        getEntityManager().createNativeQuery("insert into tracked_connection"
                        + " (connection_id, compensating, undo_requested, updated_at)"
                        + " values (:id, false, false, :now) on conflict (connection_id) do nothing")
                .setParameter("id", connectionId)
                .setParameter("now", Instant.now())
                .executeUpdate();
        return getEntityManager().find(TrackedConnectionEntity.class, connectionId, LockModeType.PESSIMISTIC_WRITE);
    }

    TrackedConnection toTrackedConnection() {
        return new TrackedConnection(connectionId, securityModel, remoteEnvironment, remoteDeploymentId, compensating,
                undoRequested, undoChainId == null ? null : new UndoChain(undoChainId, undoChainDeadline),
                requestUnread);
    }

    void update(TrackedConnection connection) {
        if (!connection.connectionId().equals(connectionId)) {
            throw new IllegalArgumentException("row of " + connectionId + " cannot hold " + connection.connectionId());
        }
        securityModel = connection.securityModel();
        remoteEnvironment = connection.remoteEnvironment();
        remoteDeploymentId = connection.remoteDeploymentId();
        compensating = connection.compensating();
        undoRequested = connection.undoRequested();
        undoChainId = connection.undoChain() == null ? null : connection.undoChain().id();
        undoChainDeadline = connection.undoChain() == null ? null : connection.undoChain().deadline();
        requestUnread = connection.requestUnread();
        updatedAt = Instant.now();
    }
}

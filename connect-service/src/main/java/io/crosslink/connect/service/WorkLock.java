package io.crosslink.connect.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Serialises the background work of one connection across instances: a PostgreSQL session-level advisory lock
 * per connection id, held (on a connection of its own, outside any transaction) while the work calls Elastic. A
 * removal therefore never runs while another instance still sends that connection's registration. If the
 * process dies, PostgreSQL ends its session and the lock is gone: nothing to expire or clean up.
 */
@ApplicationScoped
public class WorkLock {
    private static final Logger LOG = Logger.getLogger(WorkLock.class);
    /** First key of the two-key advisory lock: this service's namespace ("cxlk"). */
    static final int NAMESPACE = 0x63786c6b;

    private final AgroalDataSource dataSource;

    public WorkLock(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The held lock, or null when another worker holds it now. */
    public Held tryLock(String connectionId) {
        Connection jdbc = null;
        try {
            jdbc = dataSource.getConnection();
            if (call(jdbc, "select pg_try_advisory_lock(?, hashtext(?))", connectionId)) {
                return new Held(jdbc, connectionId);
            }
            jdbc.close();
            return null;
        } catch (SQLException e) {
            closeQuietly(jdbc);
            throw new IllegalStateException("cannot take the work lock of connection " + connectionId + ": "
                    + e.getMessage(), e);
        }
    }

    /** A lock taken; closing releases it. */
    public static final class Held implements AutoCloseable {
        private final Connection jdbc;
        private final String connectionId;

        private Held(Connection jdbc, String connectionId) {
            this.jdbc = jdbc;
            this.connectionId = connectionId;
        }

        @Override
        public void close() {
            try {
                call(jdbc, "select pg_advisory_unlock(?, hashtext(?))", connectionId);
            } catch (SQLException e) {
                // The session is broken: PostgreSQL released the lock with it.
                LOG.debugf("releasing the work lock of %s: %s", connectionId, e.getMessage());
            } finally {
                closeQuietly(jdbc);
            }
        }
    }

    private static boolean call(Connection jdbc, String sql, String connectionId) throws SQLException {
        try (PreparedStatement statement = jdbc.prepareStatement(sql)) {
            statement.setInt(1, NAMESPACE);
            statement.setString(2, connectionId);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static void closeQuietly(Connection jdbc) {
        if (jdbc != null) {
            try {
                jdbc.close();
            } catch (SQLException e) {
                // nothing more to do
            }
        }
    }
}

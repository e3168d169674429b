package io.crosslink.cli;

import static io.crosslink.cli.Documents.answer;
import static io.crosslink.cli.Documents.document;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.cli.FakeConnectService.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands against a scripted API: what they send, what they print, and how a watch follows and ends. */
class CommandsTest extends FakeApiTest {
    private static final String ID = "3f1c2a7e-0000-4000-8000-000000000001";
    private static final String POST = "POST /api/v1/connections";
    private static final String GET = "GET /api/v1/connections/" + ID;
    private static final String DELETE = "DELETE /api/v1/connections/" + ID;

    private Run run(String... args) {
        Run run = Run.of(environment, args);
        assertNoToken(run);
        return run;
    }

    /** The lines of {@code text} that are progress lines of a step (they start with the step's time). */
    private static List<String> stepLines(String text) {
        return Arrays.stream(text.split("\n")).filter(line -> line.startsWith("2025-")).toList();
    }

    @Test
    void connectSendsTheFileAsWrittenAndPrintsOnlyTheId(@TempDir Path dir) throws Exception {
        // Written oddly on purpose: the server's strict reading must judge exactly these bytes.
        String body = "{ \"alias\":\"demo\",\n  \"securityModel\":\"api_key\" }";
        Path file = Files.writeString(dir.resolve("request.json"), body);
        api.answer(POST, answer(202, document(ID, "REQUESTED", 1)));

        Run run = run("connect", "--file", file.toString(), "--idempotency-key", "deploy-42");

        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals(ID + "\n", run.out(), "only the id on standard output");
        assertTrue(run.err().contains("crosslink status " + ID + " --watch"), run.toString());
        FakeConnectService.Call post = api.calls("POST").get(0);
        assertEquals(body, post.body());
        assertEquals("application/json", post.header("Content-Type"));
        assertEquals("deploy-42", post.header("Idempotency-Key"));
        assertEquals("Bearer " + TOKEN, post.header("Authorization"));
    }

    @Test
    void connectReadsTheRequestFromStandardInput() {
        api.answer(POST, answer(202, document(ID, "REQUESTED", 1)));
        Run run = Run.withStdin(environment, "{\"alias\":\"from-stdin\"}", "connect", "-f", "-");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals("{\"alias\":\"from-stdin\"}", api.calls("POST").get(0).body());
        assertTrue(api.calls("POST").get(0).header("Idempotency-Key") == null, "no key unless given");
    }

    @Test
    void connectWaitPrintsEachStepOnceAsItAppearsAndEndsZeroWhenVerified() {
        api.answer(POST, answer(202, document(ID, "REQUESTED", 1)));
        api.answer(GET, answer(200, document(ID, "REQUESTED", 1)), answer(200, document(ID, "KEY_CREATED", 2)),
                answer(200, document(ID, "KEY_CREATED", 2)), answer(200, document(ID, "REMOTE_CONNECTED", 4)),
                answer(200, document(ID, "VERIFIED", 5)));

        Run run = run("connect", "--alias", "demo", "--search", "demo-*", "--wait", "--interval", "10ms");

        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        List<String> lines = List.of(run.out().split("\n"));
        assertEquals(ID, lines.get(0), run.toString());
        List<String> steps = stepLines(run.out());
        assertEquals(5, steps.size(), "one line per step: " + run);
        for (int step = 0; step < 5; step++) {
            assertTrue(steps.get(step).contains(Documents.HAPPY_STEPS[step][0]), steps.toString());
        }
        assertEquals("VERIFIED", lines.get(lines.size() - 1), run.toString());
        assertEquals(5, api.calls("GET").size(), "polled until VERIFIED, then stopped");
    }

    @Test
    void connectWaitEndsOneWhenTheConnectionIsCompensatedAndShowsTheFailedStep() {
        ObjectNode failed = Documents.withFailure(document(ID, "COMPENSATED", 3), "register_remote",
                "RemoteRegistrationFailed", "illegal_argument_exception", "no such remote");
        api.answer(POST, answer(202, document(ID, "REQUESTED", 1)));
        api.answer(GET, answer(200, document(ID, "COMPENSATING", 3)), answer(200, failed));

        Run run = run("connect", "--alias", "demo", "--wait", "--interval", "10ms");

        assertEquals(ExitCodes.UNVERIFIED, run.exitCode(), run.toString());
        assertTrue(run.out().contains("register_remote") && run.out().contains("failed")
                && run.out().contains("[400 illegal_argument_exception: no such remote]"), run.toString());
        assertTrue(run.out().endsWith("COMPENSATED\n"), run.toString());
    }

    @Test
    void connectWaitInJsonPrintsOnlyTheFinalDocumentOnStandardOutput() throws Exception {
        ObjectNode verified = document(ID, "VERIFIED", 5);
        api.answer(POST, answer(202, document(ID, "REQUESTED", 1)));
        api.answer(GET, answer(200, verified));

        Run run = run("--output", "json", "connect", "--alias", "demo", "--wait", "--interval", "10ms");

        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals(verified, Documents.JSON.readTree(run.out()), "stdout is the one final document");
        assertEquals(5, stepLines(run.err()).size(), "progress went to standard error: " + run);
    }

    @Test
    void statusWatchEndsOneWhenRejectedAndNamesTheReasons() {
        ObjectNode rejected = document(ID, "REJECTED", 1);
        ((ArrayNode) rejected.putArray("reasons")).addObject().put("field", "remote.deploymentId")
                .put("reason", "no such deployment");
        api.answer(GET, answer(200, document(ID, "REQUESTED", 1)), answer(200, rejected));

        Run run = run("status", ID, "--watch", "--interval", "10ms");

        assertEquals(ExitCodes.UNVERIFIED, run.exitCode(), run.toString());
        assertEquals(1, stepLines(run.out()).size(), "the one step, printed once: " + run);
        assertTrue(run.out().contains("REJECTED\nreasons:\n  remote.deploymentId: no such deployment\n"), run.toString());
    }

    @Test
    void statusWatchWaitsOutAShortOutage() {
        api.answer(GET, answer(200, document(ID, "KEY_CREATED", 2)),
                Answer.problem(503, "{\"title\":\"Service Unavailable\",\"status\":503}"),
                new Answer(502, "text/html", "<html>bad gateway</html>"), answer(200, document(ID, "VERIFIED", 5)));

        Run run = run("status", ID, "-w", "--interval", "10ms");

        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals(5, stepLines(run.out()).size(), run.toString());
    }

    @Test
    void statusWatchOfAnApiThatNeverAnsweredFailsAtOnce() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        Run run = run("status", ID, "--watch", "--url", "http://127.0.0.1:" + port);
        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.toString());
        assertTrue(System.nanoTime() - start < Follower.OUTAGE_GRACE.toNanos() / 2, "it waited for an outage to pass");
    }

    @Test
    void statusWatchStopsAtOnceWhenTheTokenIsRefused() {
        api.answer(GET, answer(200, document(ID, "KEY_CREATED", 2)),
                Answer.problem(401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"expired\"}"));
        Run run = run("status", ID, "--watch", "--interval", "10ms");
        assertEquals(ExitCodes.NOT_AUTHORIZED, run.exitCode(), run.toString());
        assertEquals(2, api.calls("GET").size());
    }

    @Test
    void aWatchThatOutlivesItsTimeoutEndsOneAndSaysWhereItStands() {
        api.answer(GET, answer(200, document(ID, "KEY_CREATED", 2)));
        Run run = run("status", ID, "--watch", "--interval", "20ms", "--timeout", "200ms");
        assertEquals(ExitCodes.UNVERIFIED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("connection " + ID + " is still KEY_CREATED after 200ms"), run.toString());
        assertEquals(2, stepLines(run.out()).size(), "each step once however often polled: " + run);
    }

    @Test
    void statusShowsTheSummaryAndExitsByWhatTheStatusMeans() {
        api.answer(GET, answer(200, document(ID, "VERIFIED", 5)));
        Run verified = run("status", ID);
        assertEquals(ExitCodes.OK, verified.exitCode(), verified.toString());
        assertTrue(verified.out().contains("status:    VERIFIED\n"), verified.toString());
        assertTrue(verified.out().contains("alias:     demo (api_key)\n"), verified.toString());
        assertTrue(verified.out().contains("local:     ece:" + Documents.LOCAL_ID + "\n"), verified.toString());
        assertTrue(verified.out().contains("team:      team-a (requested by alice@team-a.example)\n"), verified.toString());
        assertEquals(5, stepLines(verified.out().replace("\n  2025-", "\n2025-")).size(), verified.toString());

        api.answer(GET, answer(200, document(ID, "KEY_CREATED", 2)));
        assertEquals(ExitCodes.OK, run("status", ID).exitCode(), "in flight is no failure");

        ObjectNode failed = document(ID, "FAILED", 3);
        failed.putArray("leftovers").addObject().put("deploymentId", Documents.REMOTE_ID).put("resource", "api_key")
                .put("name", "key-1").put("certainty", "possible").put("reason", "invalidation timed out");
        api.answer(GET, answer(200, failed));
        Run run = run("status", ID);
        assertEquals(ExitCodes.UNVERIFIED, run.exitCode(), run.toString());
        assertTrue(run.out().contains("leftovers:\n  api_key key-1 on " + Documents.REMOTE_ID
                + " (possible): invalidation timed out\n"), run.toString());
    }

    @Test
    void statusInJsonIsTheDocumentAsAnswered() throws Exception {
        ObjectNode document = document(ID, "VERIFIED", 5);
        document.put("aFieldOfANewerServer", 1);
        api.answer(GET, answer(200, document));
        Run run = run("status", ID, "-o", "json");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals(document, Documents.JSON.readTree(run.out()));
    }

    @Test
    void anIdStaysInItsPathSegment() {
        Run run = run("status", "../x?y");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.toString());
        assertEquals("/api/v1/connections/..%2Fx%3Fy", api.calls.get(0).path());
        assertEquals(null, api.calls.get(0).query());
    }

    @Test
    void listSendsTheFiltersAndPrintsATable() {
        ObjectNode page = Documents.JSON.createObjectNode();
        page.putArray("items").add(document(ID, "VERIFIED", 5)).add(document("second-id", "COMPENSATED", 3));
        page.put("page", 0).put("size", 2).put("total", 3);
        api.answer("GET /api/v1/connections", answer(200, page));

        Run run = run("list", "--status", "verified", "--alias", "demo", "--local", Documents.LOCAL_ID, "--size", "2");

        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals("status=VERIFIED&alias=demo&localDeploymentId=" + Documents.LOCAL_ID + "&page=0&size=2",
                api.calls.get(0).query());
        List<String> lines = List.of(run.out().split("\n"));
        assertTrue(lines.get(0).matches("ID +STATUS +ALIAS +MODEL +LOCAL +REMOTE +TEAM +UPDATED"), lines.get(0));
        assertTrue(lines.get(1).matches(ID + " +VERIFIED +demo +api_key +ece:c0ffee00 +ess:0b5e55ed +team-a +\\S+"),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("second-id"), lines.get(2));
        assertEquals("2 of 3 connection(s), page 0 (size 2; --page for more)", lines.get(3));
    }

    @Test
    void disconnectWaitFollowsUntilDisconnected() {
        api.answer(DELETE, answer(202, document(ID, "DISCONNECTING", 5)));
        api.answer(GET, answer(200, document(ID, "DISCONNECTING", 5)), answer(200, document(ID, "DISCONNECTED", 5)));

        Run run = run("disconnect", ID, "--wait", "--interval", "10ms");

        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertTrue(run.out().endsWith("DISCONNECTED\n"), run.toString());
        assertEquals(1, api.calls("DELETE").size());
    }

    @Test
    void disconnectWaitDoesNotStopAtVerifiedAndEndsOneWhenSomethingIsLeft() {
        // The status the DELETE answered may not show the disconnect yet: VERIFIED is where it comes from.
        api.answer(DELETE, answer(202, document(ID, "VERIFIED", 5)));
        api.answer(GET, answer(200, document(ID, "DISCONNECTING", 5)), answer(200, document(ID, "FAILED", 5)));

        Run run = run("disconnect", ID, "--wait", "--interval", "10ms");

        assertEquals(ExitCodes.UNVERIFIED, run.exitCode(), run.toString());
        assertTrue(run.out().contains("FAILED"), run.toString());
    }

    @Test
    void disconnectWithoutWaitPrintsTheStatusTheCallLeft() {
        api.answer(DELETE, answer(202, document(ID, "DISCONNECTING", 5)));
        Run run = run("disconnect", ID);
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals("DISCONNECTING\n", run.out());
        assertTrue(api.calls("GET").isEmpty());
    }

    @Test
    void aStatusThisVersionDoesNotKnowIsWatchedOnUntilAKnownEnd() {
        api.answer(GET, answer(200, document(ID, "ROTATING", 5)), answer(200, document(ID, "VERIFIED", 5)));
        Run run = run("status", ID, "--watch", "--interval", "10ms");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals(2, api.calls("GET").size());
    }
}

package io.crosslink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the command line makes of its arguments: the request body the flags build, and the usage errors (exit 2). */
class ArgumentParsingTest extends FakeApiTest {

    /** The body {@code connect} would send for these flags, read straight from the parsed command. */
    private static JsonNode requestOf(String... connectArgs) {
        CommandLine commandLine = Crosslink.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        CommandLine.ParseResult parsed = commandLine.parseArgs(connectArgs);
        ConnectCommand connect = (ConnectCommand) parsed.subcommand().commandSpec().userObject();
        return connect.request.build();
    }

    private static JsonNode json(String text) throws Exception {
        return Documents.JSON.readTree(text);
    }

    @Test
    void flagsMakeTheReadmesApiKeyRequest() throws Exception {
        JsonNode request = requestOf("connect", "--alias", "demo", "--local", "ece:c0ffee00a1b2c3d4e5f60718293a4b5c",
                "--remote", "ess:0b5e55ed12345678abcdef0123456789", "--search", "demo-*");
        assertEquals(json("""
                {"alias": "demo", "securityModel": "api_key",
                 "local":  {"environment": "ece", "deploymentId": "c0ffee00a1b2c3d4e5f60718293a4b5c"},
                 "remote": {"environment": "ess", "deploymentId": "0b5e55ed12345678abcdef0123456789"},
                 "access": {"search": [{"names": ["demo-*"]}]}}"""), request);
    }

    @Test
    void flagsMakeACertificateModelRequestWithEveryOptionalField() throws Exception {
        JsonNode request = requestOf("connect", "--alias", "demo-tls", "--model", "tls_certificate",
                "--local", "ece:c0ffee00a1b2c3d4e5f60718293a4b5c:main-elasticsearch", "--remote", "ece:bee5feed",
                "--trust-all", "--registration", "ece_remote_clusters", "--no-skip-unavailable");
        assertEquals(json("""
                {"alias": "demo-tls", "securityModel": "tls_certificate",
                 "local":  {"environment": "ece", "deploymentId": "c0ffee00a1b2c3d4e5f60718293a4b5c",
                            "refId": "main-elasticsearch"},
                 "remote": {"environment": "ece", "deploymentId": "bee5feed"},
                 "trust": {"all": true}, "registration": "ece_remote_clusters", "skipUnavailable": false}"""), request);
        assertEquals(json("{\"all\": false}"), requestOf("connect", "--alias", "a", "--no-trust-all").path("trust"));
    }

    @Test
    void certificateIdentityFlagAsksForStrongIdentity() throws Exception {
        JsonNode request = requestOf("connect", "--alias", "signed", "--local", "ece:l", "--remote", "ess:r",
                "--search", "demo-*", "--certificate-identity");
        assertEquals(true, request.path("certificateIdentity").asBoolean(false));
        assertEquals(false, requestOf("connect", "--alias", "a", "--no-certificate-identity")
                .path("certificateIdentity").asBoolean(true));
        assertEquals(false, requestOf("connect", "--alias", "a").has("certificateIdentity"));
    }

    @Test
    void repeatedSearchAndReplicationFlagsAreEntriesAndRolesWithOneNameMerge() throws Exception {
        JsonNode request = requestOf("connect", "--alias", "demo", "--search", "demo-*, logs-*", "--search", "other-*",
                "--replication", "leader-1", "--role", "demo-reader:demo-index:read,view_index_metadata",
                "--role", "demo-reader:logs-app:read", "--role", "ns:odd:logs-*:read");
        assertEquals(json("""
                {"search": [{"names": ["demo-*", "logs-*"]}, {"names": ["other-*"]}],
                 "replication": [{"names": ["leader-1"]}]}"""), request.path("access"));
        assertEquals(json("""
                [{"name": "demo-reader", "indices": [
                    {"names": ["demo-index"], "privileges": ["read", "view_index_metadata"]},
                    {"names": ["logs-app"], "privileges": ["read"]}]},
                 {"name": "ns:odd", "indices": [{"names": ["logs-*"], "privileges": ["read"]}]}]"""),
                request.path("roles"));
    }

    @Test
    void accessAsJsonCarriesWhatTheShortFlagsCannot() throws Exception {
        String access = "{\"search\":[{\"names\":[\"demo-*\"],\"query\":{\"term\":{\"public\":true}},"
                + "\"field_security\":{\"grant\":[\"*\"],\"except\":[\"secret\"]},\"allow_restricted_indices\":false}]}";
        assertEquals(json(access), requestOf("connect", "--alias", "demo", "--access", access).path("access"));
    }

    @Test
    void aMalformedDeploymentIsAUsageErrorAndNothingIsSent() {
        Run run = Run.of(environment, "connect", "--alias", "demo", "--local", "c0ffee00a1b2c3d4e5f60718293a4b5c");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("ENV:DEPLOYMENT_ID[:REF_ID]"), run.toString());
        assertTrue(api.calls.isEmpty(), "sent: " + api.calls);
    }

    @Test
    void conflictingOrMissingRequestSourcesAreBadInputAndNothingIsSent(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("request.json"), "{}");
        List<List<String>> wrong = List.of(
                List.of("connect", "--file", file.toString(), "--alias", "demo"),
                List.of("connect"),
                List.of("connect", "--alias", "demo", "--access", "{\"search\":[]}", "--search", "demo-*"),
                List.of("connect", "--alias", "demo", "--access", "[1]"),
                List.of("connect", "--alias", "demo", "--access", "{not json"),
                List.of("connect", "--alias", "demo", "--role", "reader:read"),
                List.of("connect", "--file", dir.resolve("absent.json").toString()),
                List.of("connect", "--file", Files.writeString(dir.resolve("empty.json"), " \n").toString()));
        for (List<String> args : wrong) {
            Run run = Run.of(environment, args.toArray(String[]::new));
            assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), args + ": " + run);
            assertTrue(run.err().startsWith("crosslink: "), args + ": " + run);
            assertFalse(run.err().contains("\tat "), "a stack trace: " + run);
        }
        assertTrue(api.calls.isEmpty(), "sent: " + api.calls);
    }

    @Test
    void usageErrorsExitTwoWithoutAStackTrace() {
        List<List<String>> wrong = List.of(List.of(), List.of("frobnicate"), List.of("status"),
                List.of("list", "--status", "HAPPY"), List.of("list", "--size", "many"),
                List.of("status", "c1", "--watch", "--interval", "soon"), List.of("status", "c1", "--timeout", "0s"),
                List.of("--output", "yaml", "list"));
        for (List<String> args : wrong) {
            Run run = Run.of(environment, args.toArray(String[]::new));
            assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), args + ": " + run);
            assertFalse(run.err().contains("\tat "), "a stack trace: " + run);
        }
        assertTrue(api.calls.isEmpty(), "sent: " + api.calls);
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand(@TempDir Path dir) throws Exception {
        api.answer("GET /api/v1/connections", FakeConnectService.Answer.json(200,
                "{\"items\":[],\"page\":0,\"size\":50,\"total\":0}"));
        Path tokenFile = Files.writeString(dir.resolve("team-a.jwt"), TOKEN + "\n");
        Map<String, String> none = Map.of();

        Run before = Run.of(none, "--url", api.url(), "--token-file", tokenFile.toString(), "-o", "json", "list");
        Run after = Run.of(none, "list", "--url", api.url(), "--token-file", tokenFile.toString(), "--output", "JSON");

        for (Run run : List.of(before, after)) {
            assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
            assertEquals(0, Documents.JSON.readTree(run.out()).path("total").asInt(), run.toString());
        }
        assertEquals(2, api.calls.size());
        api.calls.forEach(call -> assertEquals("Bearer " + TOKEN, call.header("Authorization"), "the file's token, trimmed"));
    }

    @Test
    void theUrlOptionWinsOverTheEnvironment() throws Exception {
        try (FakeConnectService other = new FakeConnectService()) {
            other.answer("GET /api/v1/connections", FakeConnectService.Answer.json(200,
                    "{\"items\":[],\"page\":0,\"size\":50,\"total\":0}"));
            Run run = Run.of(environment, "list", "--url", other.url());
            assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
            assertEquals(1, other.calls.size());
            assertTrue(api.calls.isEmpty());
        }
    }

    @Test
    void aTokenQuotedInAUsageErrorIsNotPrinted() {
        Run run = Run.of(environment, "list", "--tokn", TOKEN);
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--tokn"), run.toString());
        assertFalse(run.err().contains(TOKEN) || run.out().contains(TOKEN), run.toString());
    }

    @Test
    void helpAndVersionExitZero() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"connect", "--help"},
                new String[] {"help", "status"}, new String[] {"--version"})) {
            Run run = Run.of(environment, args);
            assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
            assertFalse(run.out().isBlank(), run.toString());
        }
        assertTrue(Run.of(environment, "--help").out().contains("3    not authorized"), "the exit codes are documented");
    }
}

package io.crosslink.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code crosslink}: the command line of connect-service's REST API. The global options (where the API is, who calls,
 * how to print) live here and are inherited by every subcommand; each subcommand is one class that uses
 * {@link #api()} and {@link #console}. A new lifecycle command (plan, rotate) is one more class in
 * {@code subcommands}, reusing {@link RequestFlags} and {@link FollowOptions}.
 */
@Command(name = "crosslink", mixinStandardHelpOptions = true, versionProvider = Crosslink.Version.class,
        description = "Connects Elasticsearch deployments as remote clusters, through Crosslink's connect-service.",
        subcommands = {ConnectCommand.class, StatusCommand.class, ListCommand.class, DisconnectCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done: VERIFIED (DISCONNECTED after a disconnect), or the call answered as asked",
            "1:the connection ended unverified (REJECTED, COMPENSATED, FAILED) or --timeout passed",
            "2:bad input: usage, an unreadable file, or the API answered 400, 404, 409 or 413",
            "3:not authorized: no token, or the API answered 401 or 403",
            "4:unreachable: refused, unknown host, timeout, 5xx, or not the Crosslink API",
            "70:a bug in crosslink"})
public class Crosslink implements Callable<Integer> {
    static final String URL_VARIABLE = "CROSSLINK_URL";
    static final String DEFAULT_URL = "http://localhost:8080";

    @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "connect-service's base URL (env " + URL_VARIABLE + ", default " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--token", paramLabel = "JWT", scope = ScopeType.INHERIT, description = "The bearer token (env "
            + BearerToken.TOKEN_VARIABLE + "). Prefer --token-file: a command line is visible to other users.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A file holding the bearer token (env " + BearerToken.TOKEN_FILE_VARIABLE
                    + "), e.g. deploy/local/.state/tokens/team-a.jwt.")
    Path tokenFile;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", scope = ScopeType.INHERIT,
            description = "text (default) or json: the API's documents as they are.")
    OutputFormat output = OutputFormat.TEXT;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;
    private final InputStream stdin;

    public Crosslink(Map<String, String> environment, InputStream stdin) {
        this.environment = Map.copyOf(environment);
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(), System.in).execute(args));
    }

    /**
     * The CLI ready to {@code execute}: {@code environment} stands for the process environment (tests pass their own),
     * {@code stdin} is what {@code connect --file -} reads. Errors go to the command line's err writer without a
     * stack trace, and every exit code is one of {@link ExitCodes}.
     */
    public static CommandLine commandLine(Map<String, String> environment, InputStream stdin) {
        CommandLine commandLine = new CommandLine(new Crosslink(environment, stdin));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> report(failed.getErr(), exception));
        commandLine.setParameterExceptionHandler((exception, args) -> {
            PrintWriter err = exception.getCommandLine().getErr();
            err.println("crosslink: " + Redaction.redact(exception.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("Try '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCodes.BAD_INPUT;
        });
        return commandLine;
    }

    /** Without a subcommand: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.BAD_INPUT;
    }

    /** The API as the global options and the environment say: base URL and bearer token. */
    ConnectionsApi api() {
        String base = url != null ? url : environment.getOrDefault(URL_VARIABLE, DEFAULT_URL);
        return new ConnectionsApi(base.isBlank() ? DEFAULT_URL : base, BearerToken.resolve(token, tokenFile, environment));
    }

    /** The output of {@code command} (a subcommand's own spec, so that its writers are used). */
    Console console(CommandSpec command) {
        return new Console(command.commandLine().getOut(), command.commandLine().getErr(), output);
    }

    InputStream stdin() {
        return stdin;
    }

    private static int report(PrintWriter err, Exception exception) {
        if (exception instanceof CliFailure failure) {
            err.println("crosslink: " + Redaction.redact(failure.getMessage()));
            failure.details().forEach(detail -> err.println("  " + Redaction.redact(detail)));
            err.flush();
            return failure.exitCode();
        }
        // Not expected: say what it was without a stack trace (and without a token, should a message hold one).
        err.println("crosslink: internal error: " + exception.getClass().getName()
                + (exception.getMessage() == null ? "" : ": " + Redaction.redact(exception.getMessage())));
        err.flush();
        return ExitCodes.INTERNAL;
    }

    /** The version the jar's manifest names (the Maven project version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Crosslink.class.getPackage().getImplementationVersion();
            return new String[] {"crosslink " + (version == null ? "(development build)" : version)};
        }
    }
}

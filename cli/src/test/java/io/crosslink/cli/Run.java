package io.crosslink.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** One in-process run of the CLI: its exit code and what it wrote to standard output and error. */
record Run(int exitCode, String out, String err) {
    static Run of(Map<String, String> environment, String... args) {
        return withStdin(environment, new ByteArrayInputStream(new byte[0]), args);
    }

    static Run withStdin(Map<String, String> environment, String stdin, String... args) {
        return withStdin(environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    private static Run withStdin(Map<String, String> environment, InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Crosslink.commandLine(environment, stdin);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}

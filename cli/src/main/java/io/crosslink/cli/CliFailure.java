package io.crosslink.cli;

import java.util.List;

/**
 * Why a command stops short, with the exit code it means and what to tell the user: a message and optional detail
 * lines (e.g. one per field the API refused). Never carries a token (see {@link Redaction}).
 */
public class CliFailure extends RuntimeException {
    private final int exitCode;
    private final List<String> details;

    public CliFailure(int exitCode, String message) {
        this(exitCode, message, List.of());
    }

    public CliFailure(int exitCode, String message, List<String> details) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.details = List.copyOf(details);
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> details() {
        return details;
    }

    public static CliFailure badInput(String message) {
        return new CliFailure(ExitCodes.BAD_INPUT, message);
    }
}

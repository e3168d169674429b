package io.crosslink.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How a command that waits for a connection polls (a mixin: connect --wait, status --watch, disconnect --wait, and
 * later lifecycle commands that wait the same way).
 */
final class FollowOptions {
    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = Durations.class,
            description = "How often to poll while waiting (default: ${DEFAULT-VALUE}).")
    Duration interval;

    /** The saga's deadline (5m) plus its undo deadline (15m) end every connection within this. */
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", converter = Durations.class,
            description = "Give up waiting after this long, exit 1 (default: ${DEFAULT-VALUE}).")
    Duration timeout;
}

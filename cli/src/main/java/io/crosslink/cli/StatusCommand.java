package io.crosslink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code crosslink status ID [--watch]}: a connection's status document; watched, one line per step as it appears. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows a connection (GET /api/v1/connections/{id}): status, request, timeline.",
            "With --watch, prints one line per timeline step as it appears, until the connection ends.",
            "Exit 0 when VERIFIED, DISCONNECTED or still in flight (without --watch), 1 when it ended unverified"
                + " (REJECTED, COMPENSATED, FAILED)."})
class StatusCommand implements Callable<Integer> {
    @ParentCommand
    Crosslink root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The connection's id.")
    String id;

    @Option(names = {"-w", "--watch"}, description = "Follow the connection until it ends.")
    boolean watch;

    @Mixin
    FollowOptions follow;

    @Override
    public Integer call() {
        Console console = root.console(spec);
        ConnectionsApi api = root.api();
        if (!watch) {
            JsonNode document = api.get(id);
            if (console.json()) {
                console.json(document);
            } else {
                console.lines(TextFormat.summary(document));
            }
            return Statuses.exitCode(document);
        }
        Follower.Ending ending = new Follower(api, console.progress(), follow.interval, follow.timeout)
                .follow(id, null, Follower.Goal.SETTLED);
        printEnding(console, ending);
        return ending.exitCode();
    }

    /** After a watch: the final document (json), or its status with the reasons or leftovers (text). */
    static void printEnding(Console console, Follower.Ending ending) {
        JsonNode document = ending.document();
        if (console.json()) {
            console.json(document);
            return;
        }
        console.println(document.path("status").asText());
        console.lines(TextFormat.outcome(document));
    }
}

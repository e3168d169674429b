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

/** {@code crosslink disconnect ID [--wait]}: disconnects a VERIFIED connection, cancels one in flight. */
@Command(name = "disconnect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Disconnects a VERIFIED connection, cancels one in flight, or undoes a FAILED one again"
            + " (DELETE /api/v1/connections/{id}; idempotent).",
            "With --wait, follows it until it ends: exit 0 when nothing is left (DISCONNECTED, COMPENSATED), 1 when it"
                + " ended FAILED with leftovers."})
class DisconnectCommand implements Callable<Integer> {
    @ParentCommand
    Crosslink root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The connection's id.")
    String id;

    @Option(names = "--wait", description = "Follow the connection until the disconnect has ended.")
    boolean await;

    @Mixin
    FollowOptions follow;

    @Override
    public Integer call() {
        Console console = root.console(spec);
        ConnectionsApi api = root.api();
        JsonNode document = api.delete(id);
        if (!await) {
            if (console.json()) {
                console.json(document);
            } else {
                console.println(document.path("status").asText());
                console.note("follow it with: crosslink status " + id + " --watch");
            }
            return ExitCodes.OK;
        }
        Follower.Ending ending = new Follower(api, console.progress(), follow.interval, follow.timeout)
                .follow(id, document, Follower.Goal.GONE);
        StatusCommand.printEnding(console, ending);
        return ending.exitCode();
    }
}

package io.crosslink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code crosslink connect}: requests a connection and prints its id; with {@code --wait}, follows it to its end. */
@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Requests a connection (POST /api/v1/connections) and prints its id.",
            "The request comes from --file, or from the flags below (one per field of the request body).",
            "With --wait, prints each step as it happens until the connection ends: exit 0 when VERIFIED, 1 when it"
                + " ended unverified."},
        footer = {"%nExamples:",
            "  crosslink connect --alias demo --local ece:c0ffee00a1b2c3d4e5f60718293a4b5c \\",
            "      --remote ess:0b5e55ed12345678abcdef0123456789 --search 'demo-*' --wait",
            "  crosslink connect --alias demo-tls --model tls_certificate \\",
            "      --local ece:c0ffee00a1b2c3d4e5f60718293a4b5c --remote ess:0b5e55ed12345678abcdef0123456789",
            "  crosslink connect --file request.json --idempotency-key deploy-42 --wait"})
class ConnectCommand implements Callable<Integer> {
    @ParentCommand
    Crosslink root;

    @Spec
    CommandSpec spec;

    @Mixin
    RequestFlags request;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Makes a retry safe: the same key and body"
            + " answer the same connection (within your team); the same key with another body is refused (exit 2).")
    String idempotencyKey;

    @Option(names = "--wait", description = "Follow the connection until it ends, as status --watch does.")
    boolean await;

    @Mixin
    FollowOptions follow;

    @Override
    public Integer call() {
        String body = request.body(root.stdin());
        Console console = root.console(spec);
        ConnectionsApi api = root.api();
        JsonNode accepted = api.create(body, idempotencyKey);
        String id = accepted.path("id").asText();
        if (!await) {
            if (console.json()) {
                console.json(accepted);
            } else {
                console.println(id);
                console.note(accepted.path("status").asText() + "; follow it with: crosslink status " + id + " --watch");
            }
            return ExitCodes.OK;
        }
        if (!console.json()) {
            console.println(id);
        }
        Follower.Ending ending = new Follower(api, console.progress(), follow.interval, follow.timeout)
                .follow(id, accepted, Follower.Goal.SETTLED);
        StatusCommand.printEnding(console, ending);
        return ending.exitCode();
    }
}

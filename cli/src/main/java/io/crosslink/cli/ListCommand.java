package io.crosslink.cli;

import io.crosslink.events.ConnectionStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code crosslink list}: the caller's connections (an admin's: everyone's), newest first, as a table. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists connections, newest first (GET /api/v1/connections): your team's, or every team's for an"
            + " admin.", "LOCAL and REMOTE show the environment and the first 8 characters of the deployment id."})
class ListCommand implements Callable<Integer> {
    @ParentCommand
    Crosslink root;

    @Spec
    CommandSpec spec;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only connections in this status: ${COMPLETION-CANDIDATES}.")
    ConnectionStatus status;

    @Option(names = "--alias", description = "Only connections with this alias.")
    String alias;

    @Option(names = "--local", paramLabel = "DEPLOYMENT_ID", description = "Only connections from this local deployment.")
    String localDeploymentId;

    @Option(names = "--team", description = "Only this team's connections (admins; others see only their own anyway).")
    String team;

    @Option(names = "--page", defaultValue = "0", description = "Page number, from 0 (default: ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--size", defaultValue = "50", description = "Connections per page, 1 to 200 (default: ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("status", status == null ? null : status.name());
        query.put("alias", alias);
        query.put("localDeploymentId", localDeploymentId);
        query.put("team", team);
        query.put("page", Integer.toString(page));
        query.put("size", Integer.toString(size));
        Console console = root.console(spec);
        var page = root.api().list(query);
        if (console.json()) {
            console.json(page);
        } else {
            console.lines(TextFormat.table(page));
        }
        return ExitCodes.OK;
    }
}

package io.crosslink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.ConnectionStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Follows a connection by polling its status document: prints each timeline step once, as it appears, until the
 * connection reaches the end {@link Goal} waits for. A short outage of connect-service (a restart, a replica going
 * away) after it has answered once is waited out for {@link #OUTAGE_GRACE}; a refusal (401, 403, 404) ends the
 * watch at once.
 */
final class Follower {
    /** How long polls may fail in a row as unreachable before the watch gives up with {@link ExitCodes#UNREACHABLE}. */
    static final Duration OUTAGE_GRACE = Duration.ofSeconds(30);

    /** What the watch waits for, and what the end it saw means. */
    enum Goal {
        /** connect --wait, status --watch: any end; 0 for VERIFIED (or DISCONNECTED), 1 when it ended unverified. */
        SETTLED {
            @Override
            boolean reached(ConnectionStatus status) {
                return status.terminal();
            }

            @Override
            int exitCode(ConnectionStatus status) {
                return Statuses.endedUnverified(status) ? ExitCodes.UNVERIFIED : ExitCodes.OK;
            }
        },
        /**
         * disconnect --wait: the end after a DELETE (VERIFIED is where it came from, not where it goes); 0 when nothing is
         * left (DISCONNECTED, or COMPENSATED / REJECTED for one cancelled or never made), 1 when FAILED left something.
         */
        GONE {
            @Override
            boolean reached(ConnectionStatus status) {
                return status.terminal() && status != ConnectionStatus.VERIFIED;
            }

            @Override
            int exitCode(ConnectionStatus status) {
                return status == ConnectionStatus.FAILED ? ExitCodes.UNVERIFIED : ExitCodes.OK;
            }
        };

        abstract boolean reached(ConnectionStatus status);

        abstract int exitCode(ConnectionStatus status);
    }

    /** How the watch ended: the last document seen and the exit code it means. */
    record Ending(JsonNode document, int exitCode) {
    }

    private final ConnectionsApi api;
    private final PrintWriter progress;
    private final Duration interval;
    private final Duration timeout;
    private final Set<String> printed = new HashSet<>();

    Follower(ConnectionsApi api, PrintWriter progress, Duration interval, Duration timeout) {
        this.api = api;
        this.progress = progress;
        this.interval = interval;
        this.timeout = timeout;
    }

    /**
     * Polls connection {@code id} until {@code goal} is reached; {@code first}, when not null, is a document already
     * in hand (the POST's or DELETE's answer) whose steps are printed first. Throws {@link CliFailure} on a timeout
     * ({@link ExitCodes#UNVERIFIED}), a refusal or a lasting outage.
     */
    Ending follow(String id, JsonNode first, Goal goal) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode document = first;
        long failingSince = 0;
        boolean nothingYet = first == null;
        while (true) {
            if (document != null) {
                printNewSteps(document);
                var status = Statuses.of(document);
                if (status.isPresent() && goal.reached(status.get())) {
                    return new Ending(document, goal.exitCode(status.get()));
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new CliFailure(ExitCodes.UNVERIFIED, "connection " + id + " is still "
                        + (document == null ? "unknown" : document.path("status").asText()) + " after "
                        + Durations.format(timeout) + "; follow it with: crosslink status " + id + " --watch");
            }
            if (!nothingYet) {
                sleep();
            }
            nothingYet = false;
            try {
                document = api.get(id);
                failingSince = 0;
            } catch (CliFailure failure) {
                // An outage is waited out only once the API has answered: a wrong --url fails at once.
                if (failure.exitCode() != ExitCodes.UNREACHABLE || document == null) {
                    throw failure;
                }
                long now = System.nanoTime();
                failingSince = failingSince == 0 ? now : failingSince;
                if (now - failingSince > OUTAGE_GRACE.toNanos()) {
                    throw failure;
                }
            }
        }
    }

    /** Steps are printed by content, not by position: a late event may land between earlier ones in the timeline. */
    private void printNewSteps(JsonNode document) {
        for (JsonNode entry : document.path("timeline")) {
            if (printed.add(entry.toString())) {
                progress.println(TextFormat.progressLine(entry));
            }
        }
        progress.flush();
    }

    private void sleep() {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCodes.UNVERIFIED, "interrupted while waiting");
        }
    }
}

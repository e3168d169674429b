package io.crosslink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.ConnectionStatus;
import java.util.Optional;

/** Reads a document's status and says what it means for the exit code. Terminality is the events' own definition. */
final class Statuses {
    private Statuses() {
    }

    /** The document's status; empty for one this CLI does not know (a newer server): it is then never taken as ended. */
    static Optional<ConnectionStatus> of(JsonNode document) {
        try {
            return Optional.of(ConnectionStatus.valueOf(document.path("status").asText()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Ended without a working connection: REJECTED, COMPENSATED or FAILED (DISCONNECTED ended one on purpose). */
    static boolean endedUnverified(ConnectionStatus status) {
        return status.terminal() && status != ConnectionStatus.VERIFIED && status != ConnectionStatus.DISCONNECTED;
    }

    /** The exit code of a connection seen in this status: {@link ExitCodes#UNVERIFIED} only when it ended so. */
    static int exitCode(JsonNode document) {
        return of(document).filter(Statuses::endedUnverified).isPresent() ? ExitCodes.UNVERIFIED : ExitCodes.OK;
    }
}

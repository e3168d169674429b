package io.crosslink.connect.rest;

import io.crosslink.connect.service.StreamFilter;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.Violation;
import jakarta.ws.rs.QueryParam;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The filters of the list and of the live stream, as query parameters: blank ones are ignored. */
public class ConnectionFilterParams {
    @Parameter(schema = @Schema(ref = EventSchemaComponents.STATUS_NAME))
    @QueryParam("status")
    String status;

    @QueryParam("localDeploymentId")
    String localDeploymentId;

    @QueryParam("alias")
    String alias;

    @Parameter(description = "Only this team's connections")
    @QueryParam("team")
    String team;

    /** The filters; an unknown status goes to {@code violations} (and filters nothing). */
    StreamFilter read(List<Violation> violations) {
        return new StreamFilter(status(violations), blankToNull(localDeploymentId), blankToNull(alias), blankToNull(team));
    }

    private ConnectionStatus status(List<Violation> violations) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return ConnectionStatus.valueOf(status.trim());
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("status", "must be one of " + Arrays.toString(ConnectionStatus.values())));
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

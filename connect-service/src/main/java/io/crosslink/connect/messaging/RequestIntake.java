package io.crosslink.connect.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.service.AccessDeniedException;
import io.crosslink.connect.service.Caller;
import io.crosslink.connect.service.ConnectionService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * One well-formed request of the topic, with its token: a connection of the token's team, or, for a token that is
 * missing, not valid at the record's time or lacks a role or the team, a REJECTED connection naming why. Failures to
 * store it (the database away) are retried; the token comes as an argument, since the consumer has already taken its
 * header off the record by then.
 */
@ApplicationScoped
public class RequestIntake {
    private final ConnectionService connections;
    private final RecordCallers callers;

    public RequestIntake(ConnectionService connections, RecordCallers callers) {
        this.connections = connections;
        this.callers = callers;
    }

    @Retry(maxRetries = 5, delay = 1000, jitter = 500)
    public ConnectionService.Intake take(String requestId, JsonNode body, Optional<String> authorization,
            Instant recordTime) {
        Caller caller;
        try {
            caller = callers.verify(authorization, recordTime);
        } catch (AccessDeniedException refused) {
            return connections.refuseFromTopic(requestId, body, refused.violations());
        }
        return connections.submitFromTopic(requestId, body, caller);
    }
}

package io.crosslink.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Status documents shaped as connect-service writes them (the events' schema), for the fake API to answer. */
final class Documents {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    static final String REMOTE_ID = "0b5e55ed12345678abcdef0123456789";
    /** The api_key model's happy path, in order: step, event. */
    static final String[][] HAPPY_STEPS = {{"request", "ConnectionRequested"}, {"create_key", "KeyCreated"},
        {"update_keystore", "KeystoreUpdated"}, {"register_remote", "RemoteConnected"}, {"verify", "ConnectionVerified"}};

    private Documents() {
    }

    /** Connection {@code id} in {@code status} with the first {@code steps} of the happy path in its timeline. */
    static ObjectNode document(String id, String status, int steps) {
        ObjectNode document = JSON.createObjectNode();
        document.put("id", id);
        document.put("status", status);
        ObjectNode request = document.putObject("request");
        request.put("alias", "demo");
        request.put("securityModel", "api_key");
        request.putObject("local").put("environment", "ece").put("deploymentId", LOCAL_ID);
        request.putObject("remote").put("environment", "ess").put("deploymentId", REMOTE_ID);
        request.putObject("access").putArray("search").addObject().putArray("names").add("demo-*");
        request.put("skipUnavailable", true);
        ArrayNode timeline = document.putArray("timeline");
        for (int step = 0; step < steps; step++) {
            timeline.addObject().put("step", HAPPY_STEPS[step][0]).put("outcome", "succeeded")
                    .put("at", "2025-01-01T00:00:0" + step + "Z").put("event", HAPPY_STEPS[step][1]);
        }
        document.put("createdAt", "2025-01-01T00:00:00Z");
        document.put("updatedAt", "2025-01-01T00:00:0" + Math.max(0, steps - 1) + "Z");
        document.put("team", "team-a");
        document.put("subject", "alice@team-a.example");
        return document;
    }

    /** A failed step appended to the timeline. */
    static ObjectNode withFailure(ObjectNode document, String step, String event, String errorType, String reason) {
        ((ArrayNode) document.path("timeline")).addObject().put("step", step).put("outcome", "failed")
                .put("at", "2025-01-01T00:01:00Z").put("event", event).put("errorType", errorType)
                .put("errorReason", reason).put("httpStatus", 400);
        return document;
    }

    static FakeConnectService.Answer answer(int status, ObjectNode document) {
        return FakeConnectService.Answer.json(status, document.toString());
    }
}

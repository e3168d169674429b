package io.crosslink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Progress lines read as a column whatever the server's time precision, and carry a failed step's error. */
class TextFormatTest {
    private static ObjectNode entry(String at, String step) {
        return Documents.JSON.createObjectNode().put("step", step).put("outcome", "succeeded").put("at", at)
                .put("event", "KeyCreated");
    }

    @Test
    void stepsAlignWhateverThePrecisionOfTheirTime() {
        String micros = TextFormat.progressLine(entry("2025-01-01T00:00:00.123456Z", "request"));
        String seconds = TextFormat.progressLine(entry("2025-01-01T00:00:03Z", "create_key"));
        assertEquals("2025-01-01T00:00:00.123Z  request                  succeeded  KeyCreated", micros);
        assertEquals(micros.indexOf("request"), seconds.indexOf("create_key"));
        assertEquals("not a time", TextFormat.time("not a time"), "shown as sent when unreadable");
    }

    @Test
    void aFailedStepShowsElasticsErrorAndAStepItsRoleChanges() {
        ObjectNode failed = entry("2025-01-01T00:00:03Z", "register_remote").put("outcome", "failed")
                .put("errorType", "illegal_argument_exception").put("errorReason", "unknown setting").put("httpStatus", 400);
        failed.putArray("roles").addObject().put("name", "demo-reader").put("action", "created");
        assertEquals("2025-01-01T00:00:03.000Z  register_remote          failed     KeyCreated"
                + "  [400 illegal_argument_exception: unknown setting]  role demo-reader created",
                TextFormat.progressLine(failed));
    }

    @Test
    void aStepShowsWhatElasticWarnedAbout() {
        ObjectNode verified = entry("2025-01-01T00:00:03Z", "verify").put("event", "ConnectionVerified");
        verified.putArray("warnings").add("certificate based security model is deprecated");
        assertEquals("2025-01-01T00:00:03.000Z  verify                   succeeded  ConnectionVerified"
                + "  warning: certificate based security model is deprecated", TextFormat.progressLine(verified));
    }
}

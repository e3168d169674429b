package io.crosslink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an answer the call did not hope for into a {@link CliFailure}: the exit code its status means, and the
 * server's own words (an RFC 9457 {@code application/problem+json}: title, detail, one line per violated field).
 *
 * <p>400, 404, 409 and 413 are bad input: the request, the id or the alias is wrong, and sending it again changes
 * nothing (404 included: another team's connection answers 404 as an absent one does). 401 and 403 are not
 * authorized. 5xx and anything else unexpected are unreachable: no working Crosslink API answered. So is a 404 of
 * the collection ({@code /api/v1/connections} itself): connect-service always has it, so another server answered.
 */
final class ApiFailure {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough of a body that is not a problem document to recognise what answered, not so much that it floods. */
    private static final int MAX_BODY_SHOWN = 300;

    private ApiFailure() {
    }

    /**
     * The failure of {@code call} (e.g. "POST /api/v1/connections") that answered {@code status} with {@code body};
     * {@code namesConnection}: the call is about one connection ({@code /api/v1/connections/{id}}).
     */
    static CliFailure of(String call, int status, String body, boolean namesConnection) {
        boolean notTheApi = status == 404 && !namesConnection;
        int exitCode = notTheApi ? ExitCodes.UNREACHABLE : exitCode(status);
        JsonNode problem = problem(body);
        List<String> details = new ArrayList<>();
        StringBuilder message = new StringBuilder(call).append(" answered ").append(status);
        if (problem != null) {
            appendIfPresent(message, problem.path("title"));
            appendIfPresent(message, problem.path("detail"));
            for (JsonNode violation : problem.path("violations")) {
                details.add(violation.path("field").asText("?") + ": " + violation.path("reason").asText(""));
            }
        } else if (body != null && !body.isBlank()) {
            String shown = body.strip().replaceAll("\\s+", " ");
            message.append(": ").append(shown.length() > MAX_BODY_SHOWN ? shown.substring(0, MAX_BODY_SHOWN) + "..." : shown);
        }
        String hint = notTheApi ? "(is --url connect-service's base URL?)" : hint(status);
        if (hint != null) {
            details.add(hint);
        }
        return new CliFailure(exitCode, Redaction.redact(message.toString()),
                details.stream().map(Redaction::redact).toList());
    }

    static int exitCode(int status) {
        return switch (status) {
            case 400, 404, 409, 413, 422 -> ExitCodes.BAD_INPUT;
            case 401, 403 -> ExitCodes.NOT_AUTHORIZED;
            default -> ExitCodes.UNREACHABLE;
        };
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> "(the token is missing, expired or not from the issuer connect-service trusts: check --token-file"
                    + " or " + BearerToken.TOKEN_FILE_VARIABLE + ")";
            case 404 -> "(no such connection, or it belongs to another team)";
            default -> null;
        };
    }

    private static void appendIfPresent(StringBuilder message, JsonNode text) {
        if (text.isTextual() && !text.asText().isBlank()) {
            message.append(": ").append(text.asText());
        }
    }

    /** The problem document in {@code body}, or null when it is none (a proxy's HTML page, empty). */
    private static JsonNode problem(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() && (node.has("title") || node.has("detail") || node.has("violations"))
                    ? node : null;
        } catch (Exception e) {
            return null;
        }
    }
}

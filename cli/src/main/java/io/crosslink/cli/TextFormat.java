package io.crosslink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** How documents read in a terminal: a connection's summary, one progress line per timeline step, the list's table. */
final class TextFormat {
    private static final String[] COLUMNS = {"ID", "STATUS", "ALIAS", "MODEL", "LOCAL", "REMOTE", "TEAM", "UPDATED"};
    /** Deployment ids are 32 hex digits: the first 8 tell the demo's (and most real ones) apart in a table. */
    private static final int SHORT_ID = 8;
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private TextFormat() {
    }

    /** The status document as lines: what, where, who, then the timeline, why it was rejected and what is left. */
    static List<String> summary(JsonNode document) {
        JsonNode request = document.path("request");
        List<String> lines = new ArrayList<>();
        lines.add("id:        " + document.path("id").asText());
        lines.add("status:    " + document.path("status").asText());
        lines.add("alias:     " + request.path("alias").asText("-") + " (" + request.path("securityModel").asText("-") + ")");
        lines.add("local:     " + deployment(request.path("local"), false));
        lines.add("remote:    " + deployment(request.path("remote"), false));
        if (document.hasNonNull("team") || document.hasNonNull("subject")) {
            lines.add("team:      " + document.path("team").asText("-") + " (requested by "
                    + document.path("subject").asText("-") + ")");
        }
        lines.add("created:   " + document.path("createdAt").asText("-"));
        lines.add("updated:   " + document.path("updatedAt").asText("-"));
        lines.add("timeline:");
        for (JsonNode entry : document.path("timeline")) {
            lines.add("  " + progressLine(entry));
        }
        lines.addAll(outcome(document));
        return lines;
    }

    /** One timeline step: when, which step, its outcome and, when it failed, Elastic's error (already redacted). */
    static String progressLine(JsonNode entry) {
        StringBuilder line = new StringBuilder(String.format("%-24s  %-24s %-10s %s", time(entry.path("at").asText()),
                entry.path("step").asText(), entry.path("outcome").asText(), entry.path("event").asText()).strip());
        if (entry.hasNonNull("errorType") || entry.hasNonNull("errorReason")) {
            line.append("  [");
            if (entry.hasNonNull("httpStatus")) {
                line.append(entry.path("httpStatus").asInt()).append(' ');
            }
            line.append(entry.path("errorType").asText("error")).append(": ").append(entry.path("errorReason").asText(""))
                    .append(']');
        }
        for (JsonNode role : entry.path("roles")) {
            line.append("  role ").append(role.path("name").asText()).append(' ').append(role.path("action").asText());
        }
        for (JsonNode warning : entry.path("warnings")) {
            line.append("  warning: ").append(warning.asText());
        }
        return line.toString();
    }

    /** Why a connection was rejected (reasons) and what a failed one left behind (leftovers); empty otherwise. */
    static List<String> outcome(JsonNode document) {
        List<String> lines = new ArrayList<>();
        if (!document.path("reasons").isEmpty()) {
            lines.add("reasons:");
            for (JsonNode reason : document.path("reasons")) {
                lines.add("  " + reason.path("field").asText() + ": " + reason.path("reason").asText());
            }
        }
        if (!document.path("leftovers").isEmpty()) {
            lines.add("leftovers:");
            for (JsonNode leftover : document.path("leftovers")) {
                lines.add("  " + leftover.path("resource").asText() + " " + leftover.path("name").asText() + " on "
                        + leftover.path("deploymentId").asText() + " (" + leftover.path("certainty").asText() + ")"
                        + (leftover.hasNonNull("reason") ? ": " + leftover.path("reason").asText() : ""));
            }
        }
        return lines;
    }

    /** A page of connections as an aligned table, newest first as the API sorts them, and a line of how many. */
    static List<String> table(JsonNode page) {
        List<String[]> rows = new ArrayList<>();
        rows.add(COLUMNS);
        for (JsonNode document : page.path("items")) {
            JsonNode request = document.path("request");
            rows.add(new String[] {document.path("id").asText(), document.path("status").asText(),
                    request.path("alias").asText("-"), request.path("securityModel").asText("-"),
                    deployment(request.path("local"), true), deployment(request.path("remote"), true),
                    document.path("team").asText("-"), document.path("updatedAt").asText("-")});
        }
        int[] widths = new int[COLUMNS.length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.length; column++) {
                line.append(String.format("%-" + widths[column] + "s", row[column])).append("  ");
            }
            lines.add(line.toString().stripTrailing());
        }
        int shown = page.path("items").size();
        long total = page.path("total").asLong(shown);
        lines.add(shown == total ? total + " connection(s)"
                : shown + " of " + total + " connection(s), page " + page.path("page").asInt() + " (size "
                        + page.path("size").asInt() + "; --page for more)");
        return lines;
    }

    /** An instant at a fixed width (milliseconds, UTC), so that progress lines align whatever precision it came in. */
    static String time(String instant) {
        try {
            return MILLIS.format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static String deployment(JsonNode reference, boolean shortId) {
        if (reference.isMissingNode() || reference.isNull()) {
            return "-";
        }
        String id = reference.path("deploymentId").asText("-");
        if (shortId && id.length() > SHORT_ID) {
            id = id.substring(0, SHORT_ID);
        }
        String text = reference.path("environment").asText("-") + ":" + id;
        return reference.hasNonNull("refId") && !shortId ? text + " (" + reference.path("refId").asText() + ")" : text;
    }
}

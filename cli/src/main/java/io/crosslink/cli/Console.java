package io.crosslink.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.List;

/**
 * Where a command's output goes. In json mode standard output carries exactly one JSON document, so progress lines
 * go to standard error; in text mode they are part of the output.
 */
final class Console {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;

    Console(PrintWriter out, PrintWriter err, OutputFormat format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    boolean json() {
        return format == OutputFormat.JSON;
    }

    /** Where a watch prints its steps. */
    PrintWriter progress() {
        return json() ? err : out;
    }

    /** A remark for people (how to follow up), never part of what a script reads. */
    void note(String line) {
        err.println(line);
        err.flush();
    }

    void println(String line) {
        out.println(line);
        out.flush();
    }

    void lines(List<String> lines) {
        lines.forEach(out::println);
        out.flush();
    }

    /** The document as the API answered it. */
    void json(JsonNode document) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode that cannot be written", e);
        }
        out.flush();
    }
}

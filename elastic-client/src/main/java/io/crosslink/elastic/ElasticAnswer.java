package io.crosslink.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Elastic answered: status, body and the headers callers read ({@code x-cloud-resource-version},
 * {@code Warning}). A non-2xx answer also carries its {@link #failure()}, already redacted with the target's secrets,
 * so callers never parse error bodies themselves. {@code toString} leaves the body out: a created key's answer
 * holds its secret.
 */
public record ElasticAnswer(int status, String body, Map<String, String> headers, StepFailure failure) {
    /** warn-code warn-agent "warn-text" ["warn-date"] (RFC 7234 5.5), the text with escaped quotes. */
    private static final Pattern WARNING = Pattern.compile(
            "\\d{3} \\S+ \"((?:[^\"\\\\]|\\\\.)*)\"(?: \"[^\"]*\")?");

    public ElasticAnswer {
        body = body == null ? "" : body;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** An answer without headers; its failure (if not 2xx) read from the body without extra redaction. */
    public ElasticAnswer(int status, String body) {
        this(status, body, Map.of(), status / 100 == 2 ? null : ElasticErrors.fromResponse(status, body));
    }

    public boolean ok() {
        return status / 100 == 2;
    }

    /** A header by its name, case-insensitive. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * The texts of the {@code Warning} header ({@code 299 Elasticsearch-<version> "<text>"}, several joined by commas):
     * what Elasticsearch says is deprecated or ignored in the request.
     */
    public List<String> warnings() {
        return header("warning").map(ElasticAnswer::warningTexts).orElse(List.of());
    }

    static List<String> warningTexts(String header) {
        List<String> texts = new ArrayList<>();
        Matcher matcher = WARNING.matcher(header);
        while (matcher.find()) {
            texts.add(matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return texts;
    }

    /** This answer if it is a 2xx; otherwise its failure as an {@link ElasticCallException}. */
    public ElasticAnswer requireOk() {
        if (!ok()) {
            throw ElasticCallException.of(failure);
        }
        return this;
    }

    /** The body as JSON; a body that is not JSON is an {@code unexpected_response} (never echoed: it may hold a secret). */
    public JsonNode json() {
        try {
            return body.isBlank() ? EventCodec.mapper().createObjectNode() : EventCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw ElasticCallException.of(new StepFailure("unexpected_response",
                    "Elastic answered " + status + " with a body that is not JSON", status, false));
        }
    }

    @Override
    public String toString() {
        return "ElasticAnswer[" + status + (failure == null ? "" : " " + failure.type()) + "]";
    }
}

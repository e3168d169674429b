package io.crosslink.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What Elastic answered: status, body and the headers callers read ({@code x-cloud-resource-version},
 * {@code Warning}). A non-2xx answer also carries its {@link #failure()}, already redacted with the target's secrets,
 * so callers never parse error bodies themselves. {@code toString} leaves the body out: a created key's answer
 * holds its secret.
 */
public record ElasticAnswer(int status, String body, Map<String, String> headers, StepFailure failure) {

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

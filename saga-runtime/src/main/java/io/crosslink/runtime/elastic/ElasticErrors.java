package io.crosslink.runtime.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.secret.Redactor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what Elastic answered into a {@link StepFailure}: Elasticsearch's {@code error.type}/{@code error.reason}
 * or the Cloud API's {@code errors[0].code}/{@code message}, redacted. Transient means trying again may help:
 * 408, 429, 5xx, timeouts and refused or dropped connections; every other 4xx is permanent.
 */
public final class ElasticErrors {

    private ElasticErrors() {
    }

    public static boolean transientStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** A failure from an HTTP answer; {@code secrets} are values to redact besides the usual shapes. */
    public static StepFailure fromResponse(int status, String body, String... secrets) {
        String type = "http_" + status;
        String reason = body == null || body.isBlank() ? "HTTP " + status : body;
        try {
            JsonNode json = body == null || body.isBlank() ? null : EventCodec.mapper().readTree(body);
            if (json != null && json.path("error").isObject()) {
                JsonNode error = json.path("error");
                JsonNode root = error.path("root_cause").path(0);
                type = error.path("type").asText(type);
                reason = error.path("reason").asText(reason);
                if (error.path("caused_by").isObject()) {
                    reason = reason + " (caused by " + error.path("caused_by").path("type").asText() + ": "
                            + error.path("caused_by").path("reason").asText() + ")";
                } else if (root.isObject() && !root.path("reason").asText().equals(reason)) {
                    reason = reason + " (" + root.path("reason").asText() + ")";
                }
            } else if (json != null && json.path("error").isTextual()) {
                reason = json.path("error").asText();
            } else if (json != null && json.path("errors").isArray() && json.path("errors").size() > 0) {
                JsonNode error = json.path("errors").path(0);
                type = error.path("code").asText(type);
                reason = error.path("message").asText(reason);
            }
        } catch (IOException e) {
            // not JSON: keep the raw text, redacted and shortened
        }
        return new StepFailure(type, shorten(Redactor.redact(reason, secrets)), status, transientStatus(status));
    }

    /** A failure from an exception of the HTTP client (no answer). */
    public static StepFailure fromException(Throwable error, String... secrets) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause
                && !(cause instanceof ConnectException || cause instanceof HttpTimeoutException
                        || cause instanceof TimeoutException)) {
            cause = cause.getCause();
        }
        boolean transientError = cause instanceof IOException || cause instanceof TimeoutException;
        String type = cause instanceof TimeoutException || cause instanceof HttpTimeoutException ? "timeout"
                : cause instanceof ConnectException ? "connection_refused"
                        : cause instanceof IOException ? "io_error" : "client_error";
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new StepFailure(type, shorten(Redactor.redact(message, secrets)), null, transientError);
    }

    private static String shorten(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000) + "…";
    }
}

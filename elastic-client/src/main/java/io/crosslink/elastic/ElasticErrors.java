package io.crosslink.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.runtime.secret.Redactor;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns what Elastic answered into a {@link StepFailure}: Elasticsearch's {@code error.type}/{@code error.reason}
 * or the Cloud API's {@code errors[0].code}/{@code message}, redacted. Transient means trying again may help:
 * 408, 429, 5xx, timeouts and refused or dropped connections; every other 4xx is permanent.
 */
public final class ElasticErrors {
    private static final Set<String> REMOTE_UNREACHABLE = Set.of("no_seed_node_left_exception",
            "connect_transport_exception", "node_not_connected_exception", "node_disconnected_exception");

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

    /**
     * A failure from an exception of the HTTP client (no answer). Timeouts, refused, reset or closed connections are
     * transient; a TLS failure is not (a certificate nobody trusts will not be trusted on the next try: configure the
     * target's TLS configuration).
     */
    public static StepFailure fromException(Throwable error, String... secrets) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause && !telling(cause)) {
            cause = cause.getCause();
        }
        String type;
        boolean transientError = true;
        if (cause instanceof TimeoutException) {
            type = "timeout";
        } else if (cause instanceof ConnectException) {
            type = "connection_refused";
        } else if (cause instanceof SSLException) {
            type = "tls_error";
            transientError = false;
        } else if (cause instanceof IOException) {
            type = "io_error";
        } else if (isClosedConnection(cause)) {
            type = "connection_closed";
        } else {
            type = "client_error";
            transientError = false;
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new StepFailure(type, shorten(Redactor.redact(message, secrets)), null, transientError);
    }

    /**
     * A cross-cluster call whose remote L could not reach answers 5xx with the cause in its chain
     * ({@code no_seed_node_left_exception}, {@code connect_transport_exception}, ...): Elasticsearch's verdict on the
     * remote, an answer to read, not a lost call to send again.
     */
    public static boolean remoteClusterVerdict(int status, String body) {
        if (status < 500 || body == null || !body.contains("_exception")) {
            return false;
        }
        try {
            return REMOTE_UNREACHABLE.contains(EventCodec.mapper().readTree(body).path("error").path("type").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean telling(Throwable cause) {
        return cause instanceof ConnectException
                || cause instanceof TimeoutException || cause instanceof SSLException || isClosedConnection(cause);
    }

    /** Vert.x's "Connection was closed" (an answer lost with the connection) is not an IOException. */
    private static boolean isClosedConnection(Throwable cause) {
        return cause.getClass().getName().equals("io.vertx.core.http.HttpClosedException")
                || cause instanceof java.nio.channels.ClosedChannelException;
    }

    private static String shorten(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000) + "…";
    }
}

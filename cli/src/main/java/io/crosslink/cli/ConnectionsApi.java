package io.crosslink.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * connect-service's connections API ({@code /api/v1/connections}) as the commands use it: each call returns the JSON
 * it answered, or throws a {@link CliFailure} whose exit code says what went wrong (see {@link ApiFailure}). Every call
 * carries the bearer token; nothing here prints or reports it.
 */
public final class ConnectionsApi {
    static final String CONNECTIONS = "/api/v1/connections";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final String token;
    private final HttpClient http;

    /** {@code baseUrl}: where connect-service answers, e.g. {@code http://localhost:8080} (a path prefix is kept). */
    public ConnectionsApi(String baseUrl, String token) {
        this.baseUrl = checkedBaseUrl(baseUrl);
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** {@code POST /api/v1/connections}: the new connection's document (202), or the earlier one for a repeated key. */
    public JsonNode create(String body, String idempotencyKey) {
        HttpRequest.Builder request = request(CONNECTIONS).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request, "POST " + CONNECTIONS, false);
    }

    /** {@code GET /api/v1/connections/{id}}: the status document. */
    public JsonNode get(String id) {
        return send(request(connection(id)).GET(), "GET " + connection(id), true);
    }

    /** {@code GET /api/v1/connections?...}: one page, {@code {"items","page","size","total"}}; null values are left out. */
    public JsonNode list(Map<String, String> query) {
        StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> {
            if (value != null) {
                parameters.add(encode(name) + "=" + encode(value));
            }
        });
        return send(request(CONNECTIONS + parameters).GET(), "GET " + CONNECTIONS, false);
    }

    /** {@code DELETE /api/v1/connections/{id}}: disconnect or cancel; the document after the call. */
    public JsonNode delete(String id) {
        return send(request(connection(id)).DELETE(), "DELETE " + connection(id), true);
    }

    String baseUrl() {
        return baseUrl;
    }

    private static String connection(String id) {
        return CONNECTIONS + "/" + encode(id);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json")
                .header("Authorization", "Bearer " + token);
    }

    /** {@code namesConnection}: the call is about one connection, so a 404 means that connection is not there. */
    private JsonNode send(HttpRequest.Builder request, String call, boolean namesConnection) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw unreachable("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable(e.getCause() instanceof UnresolvedAddressException ? "unknown host" : "connection refused");
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw ApiFailure.of(call, response.statusCode(), response.body(), namesConnection);
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            if (json == null || !json.isObject()) {
                throw new CliFailure(ExitCodes.UNREACHABLE, call + " answered " + response.statusCode()
                        + " without a JSON object: is " + baseUrl + " connect-service?");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new CliFailure(ExitCodes.UNREACHABLE, call + " answered " + response.statusCode()
                    + " with something that is not JSON: is " + baseUrl + " connect-service?");
        }
    }

    private CliFailure unreachable(String why) {
        return new CliFailure(ExitCodes.UNREACHABLE, "cannot reach " + baseUrl + ": " + Redaction.redact(why));
    }

    /** An absolute http(s) URL without query or fragment, without a trailing slash; else bad input. */
    private static String checkedBaseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw CliFailure.badInput("--url " + url + " is not a URL: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null) {
            // Not echoed: it would print the credentials.
            throw CliFailure.badInput("--url must not carry credentials: give the bearer token with --token-file");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw CliFailure.badInput("--url " + url + " must be http(s)://host[:port][/path], e.g. http://localhost:8080");
        }
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** One path segment or query value: an id such as {@code ../x} stays inside its segment. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package io.crosslink.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.ConnectionStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * connect-service's REST API, as a client sees it: every call carries the stack's administrator token, unless a
 * test names another caller ({@link #as}).
 */
public final class ConnectService {
    public static final String CONNECTIONS = "/api/v1/connections";
    /** The bearer token of the stack's administrator, set when the stack starts. */
    private static volatile String adminToken;
    private final String baseUrl;
    private final String token;

    public ConnectService(String baseUrl) {
        this(baseUrl, adminToken);
    }

    private ConnectService(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Called by the stack once it has issued its tokens. */
    public static void useAdminToken(String token) {
        adminToken = token;
    }

    /** The same API as the caller whose bearer token this is. */
    public ConnectService as(String bearerToken) {
        return new ConnectService(baseUrl, bearerToken);
    }

    /** {@code POST /api/v1/connections}; {@code headers} as in {@link Http#send}. */
    public Http.Response create(String json, String... headers) {
        return Http.postJson(baseUrl + CONNECTIONS, json, withToken(headers));
    }

    public Http.Response get(String id) {
        return Http.get(baseUrl + CONNECTIONS + "/" + id, withToken());
    }

    /** {@code DELETE /api/v1/connections/{id}}: disconnect (VERIFIED) or cancel (in flight, FAILED). */
    public Http.Response delete(String id) {
        return Http.send("DELETE", baseUrl + CONNECTIONS + "/" + id, null, withToken());
    }

    private String[] withToken(String... headers) {
        if (token == null) {
            return headers;
        }
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + token;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }

    /** The connection's document (GET must answer 200). */
    public JsonNode document(String id) {
        Http.Response response = get(id);
        if (response.status() != 200) {
            throw new AssertionError("GET of connection " + id + " failed: " + response);
        }
        return response.json();
    }

    /** POSTs the request, expects 202, returns the new connection's id. */
    public String submit(String json) {
        Http.Response accepted = create(json);
        if (accepted.status() != 202) {
            throw new AssertionError("the request was not accepted: " + accepted);
        }
        return accepted.json().path("id").asText();
    }

    /** {@code GET /api/v1/connections?alias=...&localDeploymentId=...}, whatever it answers. */
    public Http.Response list(String alias, String localDeploymentId) {
        return Http.get(baseUrl + CONNECTIONS + "?alias=" + encode(alias) + "&localDeploymentId="
                + encode(localDeploymentId), withToken());
    }

    /** {@code GET /api/v1/connections?alias=...&localDeploymentId=...} */
    public JsonNode findByAlias(String alias, String localDeploymentId) {
        Http.Response response = Http.get(baseUrl + CONNECTIONS + "?alias=" + encode(alias) + "&localDeploymentId="
                + encode(localDeploymentId), withToken());
        if (response.status() != 200) {
            throw new AssertionError("listing connections failed: " + response);
        }
        return response.json();
    }

    /** Polls GET until the connection has {@code status}; fails at once if it ends in another terminal status. */
    public JsonNode awaitStatus(String id, ConnectionStatus status) {
        return awaitStatus(id, status, Poll.TIMEOUT);
    }

    public JsonNode awaitStatus(String id, ConnectionStatus status, Duration timeout) {
        AtomicReference<String> last = new AtomicReference<>("nothing yet");
        return Poll.until("connection " + id + " to be " + status, timeout, () -> {
            Http.Response response = get(id);
            last.set(response.toString());
            if (response.status() != 200) {
                return Optional.empty();
            }
            JsonNode document = response.json();
            ConnectionStatus current = ConnectionStatus.valueOf(document.path("status").asText());
            if (current == status) {
                return Optional.of(document);
            }
            if (current.terminal()) {
                throw new AssertionError("connection " + id + " ended " + current + " instead of " + status + ": "
                        + document.toPrettyString());
            }
            return Optional.empty();
        }, last::get);
    }

    /** Polls the list until exactly one connection of this alias on this local deployment exists; returns it. */
    public JsonNode awaitOneByAlias(String alias, String localDeploymentId) {
        AtomicReference<String> last = new AtomicReference<>("nothing yet");
        return Poll.until("a connection with alias " + alias, () -> {
            JsonNode page = findByAlias(alias, localDeploymentId);
            last.set(page.toString());
            if (page.path("items").size() > 1) {
                throw new AssertionError("more than one connection with alias " + alias + ": " + page.toPrettyString());
            }
            return page.path("items").size() == 1 ? Optional.of(page.path("items").get(0)) : Optional.empty();
        }, last::get);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

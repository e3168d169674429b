package io.crosslink.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crosslink.events.EventCodec;
import io.crosslink.events.secret.SecretBox;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the keystore endpoint of a Cloud API (environment {@code ece}) for the Quarkus tests, recording every
 * request; the real cloud-sim with real nodes is exercised end to end by the e2e module. Also supplies a fresh
 * data key. Quarkus may load test resources in another class loader than the test, so tests talk to it over
 * HTTP: {@code GET /_test/requests} lists what it received (in order of arrival),
 * {@code POST /_test/script/{deploymentId}} queues answers ({@code [{"status":503}, {"status":400,"echo":true},
 * {"delayMs":3000}]}) for the next PATCHes of a deployment; without a status (or without a queued answer) it
 * applies the PATCH and answers 200 like the Cloud API. It keeps each deployment's keystore entry names, changed
 * when the answer is sent (after any delay): {@code GET /_test/keystore/{deploymentId}}. Requests are handled
 * concurrently, so a slow PATCH does not hold back the next one.
 */
public class FakeCloudApi implements QuarkusTestResourceLifecycleManager {
    public static final String API_KEY = "ece-test-api-key-0123456789";

    private HttpServer server;
    private ExecutorService executor;
    private final Map<String, Set<String>> keystores = new ConcurrentHashMap<>();
    private final ArrayNode requests = EventCodec.mapper().createArrayNode();
    private final Map<String, Deque<JsonNode>> scripts = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.start();
        return Map.of(
                "crosslink.environments.ece.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "crosslink.environments.ece.api-key", API_KEY,
                "crosslink.secrets.data-key", SecretBox.newDataKey());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (path.equals("/_test/requests")) {
            synchronized (requests) {
                reply(exchange, 200, EventCodec.encode(requests));
            }
            return;
        }
        if (path.startsWith("/_test/keystore/")) {
            Set<String> names = keystores.getOrDefault(path.substring("/_test/keystore/".length()), Set.of());
            synchronized (names) {
                reply(exchange, 200, EventCodec.encode(EventCodec.mapper().valueToTree(new TreeSet<>(names))));
            }
            return;
        }
        if (path.startsWith("/_test/script/")) {
            Deque<JsonNode> answers = scripts.computeIfAbsent(path.substring("/_test/script/".length()),
                    k -> new ArrayDeque<>());
            synchronized (answers) {
                EventCodec.mapper().readTree(body).forEach(answers::add);
            }
            reply(exchange, 204, null);
            return;
        }
        ObjectNode recorded = EventCodec.mapper().createObjectNode()
                .put("method", exchange.getRequestMethod())
                .put("path", path)
                .put("authorization", exchange.getRequestHeaders().getFirst("Authorization"))
                .put("body", body);
        synchronized (requests) {
            requests.add(recorded);
        }
        String[] parts = path.split("/");
        // /api/v1/deployments/{id}/elasticsearch/{ref}/keystore
        if (!exchange.getRequestMethod().equals("PATCH") || parts.length != 8 || !parts[7].equals("keystore")) {
            reply(exchange, 404, "{\"errors\":[{\"code\":\"root.resource_not_found\",\"message\":\"not found\"}]}");
            return;
        }
        Deque<JsonNode> answers = scripts.getOrDefault(parts[4], new ArrayDeque<>());
        JsonNode answer;
        synchronized (answers) {
            answer = answers.poll();
        }
        if (answer != null && answer.has("delayMs")) {
            try {
                Thread.sleep(answer.path("delayMs").asLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (answer == null || !answer.has("status")) {
            ObjectNode contents = EventCodec.mapper().createObjectNode();
            Set<String> names = keystores.computeIfAbsent(parts[4], k -> new TreeSet<>());
            synchronized (names) {
                // An entry without a value is removed; removing a missing one changes nothing (as cloud-sim does).
                EventCodec.mapper().readTree(body).path("secrets").fields().forEachRemaining(secret -> {
                    if (secret.getValue().hasNonNull("value")) {
                        names.add(secret.getKey());
                    } else {
                        names.remove(secret.getKey());
                    }
                });
                names.forEach(name -> contents.putObject(name).put("as_file", false));
            }
            reply(exchange, 200, "{\"secrets\":" + contents + "}");
        } else if (answer.path("echo").asBoolean()) {
            // Like a Cloud API error quoting the request it could not apply.
            reply(exchange, answer.path("status").asInt(), "{\"errors\":[{\"code\":\"root.invalid_json_request\","
                    + "\"message\":" + EventCodec.mapper().writeValueAsString("could not apply " + body) + "}]}");
        } else {
            reply(exchange, answer.path("status").asInt(),
                    "{\"errors\":[{\"code\":\"root.unavailable\",\"message\":\"try again later\"}]}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}

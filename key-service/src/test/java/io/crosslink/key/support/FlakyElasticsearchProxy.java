package io.crosslink.key.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A faulty network in front of a real Elasticsearch node (fault injection, not a fake: every request that
 * gets through is answered by the node). The first cross-cluster key create is answered 503 and never reaches
 * the node; the second reaches the node, which creates the key, but its answer is replaced by a 504 (the answer
 * is lost); the rest pass. {@code GET /__flaky/stats} says what was injected.
 */
public final class FlakyElasticsearchProxy implements AutoCloseable {
    private static final String CREATE = "/_security/cross_cluster/api_key";

    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger creates = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger lostAnswers = new AtomicInteger();

    private FlakyElasticsearchProxy(HttpServer server, URI target) {
        this.server = server;
        this.target = target;
    }

    public static FlakyElasticsearchProxy start(String address, URI target) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 16);
        FlakyElasticsearchProxy proxy = new FlakyElasticsearchProxy(server, target);
        server.createContext("/", proxy::handle);
        server.start();
        return proxy;
    }

    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/__flaky/stats")) {
                respond(exchange, 200, "{\"refused\":" + refused.get() + ",\"lost_answers\":" + lostAnswers.get() + "}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int attempt = method.equals("POST") && path.equals(CREATE) ? creates.incrementAndGet() : 0;
            if (attempt == 1) {
                refused.incrementAndGet();
                respond(exchange, 503, "{\"error\":{\"root_cause\":[],\"type\":\"unavailable_shards_exception\","
                        + "\"reason\":\"[.security-7] primary shard is not active\"},\"status\":503}");
                return;
            }
            HttpResponse<String> answer = forward(exchange, method, body);
            if (attempt == 2) {
                lostAnswers.incrementAndGet();
                respond(exchange, 504, "{\"error\":\"upstream timed out\"}");
                return;
            }
            respond(exchange, answer.statusCode(), answer.body());
        }
    }

    private HttpResponse<String> forward(HttpExchange exchange, String method, byte[] body) throws IOException {
        URI uri = URI.create(target + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : new String[] {"Authorization", "Content-Type", "Accept"}) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

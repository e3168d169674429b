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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A faulty network in front of a real Elasticsearch node (fault injection, not a fake: every request that
 * gets through is answered by the node). Two kinds:
 * <ul>
 * <li>{@link #start flaky}: the first cross-cluster key create is answered 503 and never reaches the node; the
 * second reaches the node, which creates the key, but its answer is replaced by a 504 (the answer is lost); the
 * rest pass. {@code GET /__flaky/stats} says what was injected: {@code {"refused","lost_answers"}}.</li>
 * <li>{@link #holding slow}: a deployment that does not answer. Every request is held, unforwarded, until
 * {@code POST /__flaky/release} (then it is answered 503) or for at most {@code maxHold} (then 503 as well; shorter
 * than the caller's request timeout, so a held request is always one its caller still waits for). Once released,
 * requests pass. {@code GET /__flaky/stats}: {@code {"held","waiting","max_waiting"}}: requests held so far, held
 * right now, and most held at once.</li>
 * </ul>
 */
public final class FlakyElasticsearchProxy implements AutoCloseable {
    private static final String CREATE = "/_security/cross_cluster/api_key";
    private static final String UNAVAILABLE = "{\"error\":{\"root_cause\":[],\"type\":\"unavailable_shards_exception\","
            + "\"reason\":\"[.security-7] primary shard is not active\"},\"status\":503}";

    private final HttpServer server;
    private final URI target;
    private final ExecutorService threads;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger creates = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger lostAnswers = new AtomicInteger();
    /** Null: flaky. Otherwise slow, until counted down. */
    private final CountDownLatch released;
    private final Duration maxHold;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger maxWaiting = new AtomicInteger();

    private FlakyElasticsearchProxy(HttpServer server, URI target, ExecutorService threads, CountDownLatch released,
            Duration maxHold) {
        this.server = server;
        this.target = target;
        this.threads = threads;
        this.released = released;
        this.maxHold = maxHold;
    }

    /** The flaky kind: a refused create, then a create whose answer is lost, then everything passes. */
    public static FlakyElasticsearchProxy start(String address, URI target) throws IOException {
        return start(address, target, null, null);
    }

    /** The slow kind: holds every request until released (at most {@code maxHold} each). */
    public static FlakyElasticsearchProxy holding(String address, URI target, Duration maxHold) throws IOException {
        return start(address, target, new CountDownLatch(1), maxHold);
    }

    private static FlakyElasticsearchProxy start(String address, URI target, CountDownLatch released, Duration maxHold)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 16);
        // Held requests must not hold up the others (nor the control requests): a thread each.
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "flaky-proxy");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        FlakyElasticsearchProxy proxy = new FlakyElasticsearchProxy(server, target, threads, released, maxHold);
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
                respond(exchange, 200, released == null
                        ? "{\"refused\":" + refused.get() + ",\"lost_answers\":" + lostAnswers.get() + "}"
                        : "{\"held\":" + held.get() + ",\"waiting\":" + waiting.get() + ",\"max_waiting\":"
                                + maxWaiting.get() + "}");
                return;
            }
            if (path.equals("/__flaky/release") && released != null) {
                released.countDown();
                respond(exchange, 200, "{}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (released != null && released.getCount() > 0) {
                hold();
                respond(exchange, 503, UNAVAILABLE);
                return;
            }
            int attempt = released == null && method.equals("POST") && path.equals(CREATE) ? creates.incrementAndGet() : 0;
            if (attempt == 1) {
                refused.incrementAndGet();
                respond(exchange, 503, UNAVAILABLE);
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

    /** Waits, unanswered, until released or for {@code maxHold}. */
    private void hold() {
        held.incrementAndGet();
        maxWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
        try {
            released.await(maxHold.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.decrementAndGet();
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
        if (released != null) {
            released.countDown();
        }
        server.stop(0);
        threads.shutdownNow();
    }
}

package io.crosslink.elastic.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * An HTTP(S) endpoint whose answers a test scripts, one per request, in order (then 200 {@code {}}); it records what
 * it was sent. Not a stand-in for Elastic: it tests the client's policy (re-sends, waits, timeouts, TLS), while the
 * services' tests reach real Elasticsearch and cloud-sim.
 */
public final class StubServer implements AutoCloseable {
    private final HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<Recorded> requests = new ArrayList<>();

    private StubServer(HttpServer server) {
        this.server = server;
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public static StubServer http() throws IOException {
        return new StubServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    public static StubServer https(SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new StubServer(server);
    }

    public URI uri() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    public synchronized StubServer reply(int status, String body, Map<String, String> headers) {
        replies.add(new Reply(status, body, headers, 0, false));
        return this;
    }

    public StubServer reply(int status, String body) {
        return reply(status, body, Map.of());
    }

    public synchronized StubServer replyAfter(long delayMillis, int status, String body) {
        replies.add(new Reply(status, body, Map.of(), delayMillis, false));
        return this;
    }

    /** Closes the connection without answering. */
    public synchronized StubServer drop() {
        replies.add(new Reply(0, null, Map.of(), 0, true));
        return this;
    }

    public synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public synchronized void reset() {
        replies.clear();
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Reply reply;
        synchronized (this) {
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            reply = replies.isEmpty() ? new Reply(200, "{}", Map.of(), 0, false) : replies.poll();
        }
        if (reply.drop()) {
            exchange.getResponseBody().close();
            exchange.close();
            return;
        }
        if (reply.delayMillis() > 0) {
            try {
                Thread.sleep(reply.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        reply.headers().forEach(exchange.getResponseHeaders()::add);
        try {
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (IOException e) {
            // the client gave up first (a timeout test)
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private record Reply(int status, String body, Map<String, String> headers, long delayMillis, boolean drop) {
    }

    /** One request as the server saw it. */
    public record Recorded(String method, String path, String query, String authorization, String contentType,
            String body) {
    }
}

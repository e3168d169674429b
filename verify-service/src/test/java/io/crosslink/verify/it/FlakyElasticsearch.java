package io.crosslink.verify.it;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server standing in for a deployment whose Elasticsearch answers some calls with a scripted error before
 * it answers normally: what the client's per-call retries are tested on. Paths are scripted by their first
 * segment: {@code /unavailable-<n>/...} answers 503 the first n times and then 200, {@code /always-<status>/...}
 * always answers that status, {@code /remote-unreachable/...} answers 500 {@code no_seed_node_left_exception},
 * {@code /slow-503/...} answers 503 after {@link #SLOW_ANSWER}. Supplies {@code crosslink.deployments.flaky.*}.
 */
public class FlakyElasticsearch implements QuarkusTestResourceLifecycleManager {
    static final String DEPLOYMENT_ID = "flaky";
    /** Longer than the client's per-call retries may take in all (their {@code maxDuration}, 3 s). */
    static final long SLOW_ANSWER = 3500;
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the flaky Elasticsearch stand-in", e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int calls = CALLS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String script = path.split("/")[1];
            int status = 200;
            if (script.startsWith("unavailable-") && calls <= Integer.parseInt(script.substring(12))) {
                status = 503;
            } else if (script.startsWith("always-")) {
                status = Integer.parseInt(script.substring(7));
            } else if (script.equals("slow-503")) {
                status = 503;
                try {
                    Thread.sleep(SLOW_ANSWER);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String type = "scripted_" + status;
            if (script.equals("remote-unreachable")) {
                // What a search answers for a remote with skip_unavailable=false that cannot be connected to.
                status = 500;
                type = "no_seed_node_left_exception";
            }
            byte[] body = (status == 200 ? "{\"calls\":" + calls + "}"
                    : "{\"error\":{\"type\":\"" + type + "\",\"reason\":\"scripted failure\"},\"status\":"
                            + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String prefix = "crosslink.deployments." + DEPLOYMENT_ID + ".";
        return Map.of(prefix + "elasticsearch-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                prefix + "username", "flaky", prefix + "password", "flaky-password");
    }

    /** Calls of any path so far. */
    static int totalCalls() {
        return CALLS.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    static int calls(String path) {
        AtomicInteger calls = CALLS.get(path);
        return calls == null ? 0 : calls.get();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}

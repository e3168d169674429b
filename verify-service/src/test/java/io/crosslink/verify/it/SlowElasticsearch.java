package io.crosslink.verify.it;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployment whose Elasticsearch does not answer: while {@link #hold held}, every request waits (longer than the
 * client's request timeout) for {@link #release}, then it and every later one is answered 503 at once. Supplies
 * {@code crosslink.deployments.slow-deployment.*}; released unless a test holds it.
 */
public class SlowElasticsearch implements QuarkusTestResourceLifecycleManager {
    static final String DEPLOYMENT_ID = "slow-deployment";
    private static final AtomicInteger RECEIVED = new AtomicInteger();
    private static volatile CountDownLatch released = new CountDownLatch(0);
    private HttpServer server;
    private ExecutorService threads;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the slow Elasticsearch stand-in", e);
        }
        // A thread per request: held requests must not hold up each other.
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "slow-elasticsearch");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            RECEIVED.incrementAndGet();
            try {
                released.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("{\"error\":{\"type\":\"slow_deployment_unavailable\",\"reason\":\"the deployment does not"
                    + " answer\"},\"status\":503}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try (OutputStream out = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(503, body.length);
                out.write(body);
            } catch (IOException e) {
                // the client gave up waiting (its request timeout): nobody to answer
            }
        });
        server.start();
        String prefix = "crosslink.deployments." + DEPLOYMENT_ID + ".";
        return Map.of(prefix + "elasticsearch-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                prefix + "username", "slow", prefix + "password", "slow-password");
    }

    /** From now on requests wait for {@link #release}. */
    static void hold() {
        released = new CountDownLatch(1);
    }

    /** Held requests and every later one are answered (503) at once. */
    static void release() {
        released.countDown();
    }

    /** Requests received so far. */
    static int received() {
        return RECEIVED.get();
    }

    @Override
    public void stop() {
        release();
        if (server != null) {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}

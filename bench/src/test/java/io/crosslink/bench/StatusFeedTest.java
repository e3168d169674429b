package io.crosslink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bench's status stream client against a small server speaking connect-service's server-sent events. */
class StatusFeedTest {
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private volatile String authorization;
    private volatile boolean stopping;
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/connections/stream", exchange -> {
            authorization = exchange.getRequestHeaders().getFirst("Authorization");
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                write(body, "event: ready\ndata: {}\n\n");
                while (!stopping) {
                    String event = events.poll(100, TimeUnit.MILLISECONDS);
                    if (event != null) {
                        write(body, event);
                    }
                }
            } catch (InterruptedException | IOException e) {
                // the client went away
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        stopping = true;
        server.stop(0);
    }

    @Test
    void keepsTheLatestDocumentPerConnectionAndWakesItsWaiter() throws Exception {
        try (StatusFeed feed = new StatusFeed("http://127.0.0.1:" + server.getAddress().getPort(), () -> "Bearer t0ken")) {
            awaitReady(feed);
            assertEquals("Bearer t0ken", authorization);
            assertNull(feed.awaitChange("c1", null, Duration.ofMillis(100)), "nothing streamed yet");

            events.add(": keep-alive\n\n");
            events.add("event: status\nid: c1\ndata: {\"id\":\"c1\",\"status\":\"KEY_CREATED\"}\n\n");
            JsonNode first = feed.awaitChange("c1", null, Duration.ofSeconds(5));
            assertEquals("KEY_CREATED", first.path("status").asText());

            events.add("event: status\nid: c2\ndata: {\"id\":\"c2\",\"status\":\"VERIFIED\"}\n\n");
            assertEquals("VERIFIED", feed.awaitChange("c2", null, Duration.ofSeconds(5)).path("status").asText());
            assertSame(first, feed.awaitChange("c1", first, Duration.ofMillis(200)), "another connection's change");

            events.add("event: status\nid: c1\ndata: {\"id\":\"c1\",\"status\":\"VERIFIED\"}\n\n");
            assertEquals("VERIFIED", feed.awaitChange("c1", first, Duration.ofSeconds(5)).path("status").asText());
        }
    }

    private static void awaitReady(StatusFeed feed) throws InterruptedException {
        for (int i = 0; i < 100 && !feed.ready(); i++) {
            Thread.sleep(50);
        }
        assertTrue(feed.ready(), "the ready event opens the feed");
    }

    private static void write(OutputStream body, String text) throws IOException {
        body.write(text.getBytes(StandardCharsets.UTF_8));
        body.flush();
    }
}

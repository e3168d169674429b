package io.crosslink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Follows one connect-service's status stream ({@code GET /api/v1/connections/stream}, server-sent events) as a
 * dashboard does, and keeps the latest document per connection id. The bench waits on it instead of asking every
 * 250 ms, so the measured service does not spend its CPU answering the bench's polls. The stream may drop (a killed
 * connect-service, an expired token): it is opened again after a second, and callers still read the document now and
 * then ({@link Bench}), so a change missed meanwhile is found.
 */
final class StatusFeed implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REOPEN_AFTER = Duration.ofSeconds(1);

    private final String connectUrl;
    private final Callable<String> bearer;
    /** Guarded by itself (its monitor also wakes the waiters). */
    private final Map<String, JsonNode> latest = new HashMap<>();
    private final Thread reader;
    private volatile boolean closed;
    private volatile boolean ready;

    StatusFeed(String connectUrl, Callable<String> bearer) {
        this.connectUrl = connectUrl;
        this.bearer = bearer;
        this.reader = new Thread(this::follow, "bench-status-feed");
        reader.setDaemon(true);
        reader.start();
    }

    /** Whether the stream is open (its {@code ready} event came): from then on it misses no change. */
    boolean ready() {
        return ready;
    }

    /**
     * Waits up to {@code timeout} for a document of {@code id} other than {@code seen} (null: any); the latest one, or
     * {@code seen} when none came.
     */
    JsonNode awaitChange(String id, JsonNode seen, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (latest) {
            JsonNode current = latest.get(id);
            while (current == null || current == seen) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return seen;
                }
                latest.wait(Math.max(1, left / 1_000_000));
                current = latest.get(id);
            }
            return current;
        }
    }

    private void follow() {
        while (!closed) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(connectUrl + "/api/v1/connections/stream"))
                        .header("Accept", "text/event-stream").header("Authorization", bearer.call()).GET().build();
                HttpResponse<Stream<String>> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() == 200) {
                    try (Stream<String> lines = response.body()) {
                        read(lines);
                    }
                } else {
                    response.body().close();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // connect-service down or restarting: open the stream again
            }
            ready = false;
            try {
                Thread.sleep(REOPEN_AFTER.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(Stream<String> lines) {
        String[] event = {null};
        StringBuilder data = new StringBuilder();
        lines.takeWhile(line -> !closed).forEach(line -> {
            if (line.isEmpty()) {
                dispatch(event[0], data.toString());
                event[0] = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event[0] = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).stripLeading());
            }
        });
    }

    private void dispatch(String event, String data) {
        if ("ready".equals(event)) {
            ready = true;
        } else if ("status".equals(event) && !data.isEmpty()) {
            try {
                JsonNode document = Http.JSON.readTree(data);
                synchronized (latest) {
                    latest.put(document.path("id").asText(), document);
                    latest.notifyAll();
                }
            } catch (IOException e) {
                // not a document: ignore it
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
    }
}

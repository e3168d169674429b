package io.crosslink.connect.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.EventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client of {@code GET /api/v1/connections/stream} as a browser's fetch reads it: the answer's status and headers,
 * then every server-sent event as it arrives (read on a thread of its own until the stream ends or is closed).
 */
public final class SseClient implements AutoCloseable {
    public record Event(String name, String id, String data) {
        public JsonNode json() {
            return TestRequests.json(data);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final HttpResponse<InputStream> response;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        } else {
            ended = true;
        }
    }

    /** Opens the stream at {@code uri} with this bearer token (none when null). */
    public static SseClient open(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = "message";
            String id = null;
            List<String> data = new ArrayList<>();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, id, String.join("\n", data)));
                    }
                    name = "message";
                    id = null;
                    data = new ArrayList<>();
                } else if (!line.startsWith(":")) {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "event" -> name = value;
                        case "id" -> id = value;
                        case "data" -> data.add(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // closed by close(), or by the server
        } finally {
            ended = true;
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse("");
    }

    /** The body of an answer that is no stream (a problem). */
    public JsonNode problem() {
        try (InputStream body = response.body()) {
            return EventCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public boolean ready() {
        return events.stream().anyMatch(event -> event.name().equals("ready"));
    }

    /** The documents received so far (events {@code status}). */
    public List<JsonNode> documents() {
        return events.stream().filter(event -> event.name().equals("status")).map(Event::json).toList();
    }

    /** The documents of one connection received so far. */
    public List<JsonNode> documents(String connectionId) {
        return documents().stream().filter(document -> connectionId.equals(document.path("id").asText())).toList();
    }

    /** Whether the server ended the stream (or it never was one). */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
    }
}

package io.crosslink.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for connect-service's REST API on the JDK's HTTP server: each call is recorded, and answered from a
 * script per "METHOD path" (the path without the query). A scripted sequence answers one entry per call and repeats
 * its last entry, as a polled status document that stopped changing does.
 */
final class FakeConnectService implements AutoCloseable {
    record Answer(int status, String contentType, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body);
        }

        static Answer problem(int status, String body) {
            return new Answer(status, "application/problem+json", body);
        }
    }

    record Call(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> script = new ConcurrentHashMap<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();

    FakeConnectService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code route}: e.g. {@code "GET /api/v1/connections/c1"}; the answers in the order they are given. */
    FakeConnectService answer(String route, Answer... answers) {
        script.put(route, new ArrayDeque<>(List.of(answers)));
        return this;
    }

    List<Call> calls(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath();
        calls.add(new Call(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Deque<Answer> answers = script.get(exchange.getRequestMethod() + " " + path);
        Answer answer;
        if (answers == null || answers.isEmpty()) {
            answer = Answer.problem(404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"nothing scripted\"}");
        } else {
            answer = answers.size() > 1 ? answers.poll() : answers.peek();
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

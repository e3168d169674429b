package io.crosslink.infra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A stand-in for a Quarkus fast-jar, run by {@link ServiceProcessTest} as a real child JVM: reads the file named
 * by {@code -Dquarkus.config.locations}, listens on {@code quarkus.http.host:quarkus.http.port}, answers
 * {@code /q/health/ready} and {@code /config?<key>} (the configured value), prints to stdout, says goodbye from
 * a shutdown hook (SIGTERM, not SIGKILL), and exits with status 3 at once when {@code fake.fail=true}.
 */
public final class FakeQuarkusApp {
    private FakeQuarkusApp() {
    }

    public static void main(String[] args) throws IOException {
        Properties config = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(URI.create(System.getProperty("quarkus.config.locations"))))) {
            config.load(in);
        }
        if (Boolean.parseBoolean(config.getProperty("fake.fail"))) {
            System.out.println("fake app: cannot start, fake.fail is set");
            System.exit(3);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(config.getProperty("quarkus.http.host"),
                Integer.parseInt(config.getProperty("quarkus.http.port"))), 0);
        server.createContext("/q/health/ready", exchange -> reply(exchange, 200, "{\"status\":\"UP\"}"));
        server.createContext("/config", exchange -> {
            String value = config.getProperty(exchange.getRequestURI().getQuery());
            reply(exchange, value == null ? 404 : 200, value == null ? "" : value);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("fake app: graceful shutdown");
            server.stop(0);
        }));
        server.start();
        System.out.println("fake app: listening on " + config.getProperty("quarkus.http.port"));
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

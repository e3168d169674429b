package io.crosslink.e2e.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A small OTLP/HTTP trace receiver in the test JVM: every service of the e2e stack exports its spans here
 * ({@code http/protobuf}, any path, usually {@code /v1/traces}), decoded and kept in memory for {@code TraceTest}.
 * Keeps at most {@value #MAX_SPANS} spans, so a long suite cannot grow it without bound.
 */
public final class TraceReceiver implements AutoCloseable {
    static final int MAX_SPANS = 200_000;

    /** One received span; {@code texts} is every string it carries (name, attributes, status, events), for the scan. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
            Map<String, String> attributes, List<String> texts) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private TraceReceiver(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static TraceReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            TraceReceiver receiver = new TraceReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "otlp-receiver");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the OTLP receiver", e);
        }
    }

    /** The base URL to export to ({@code quarkus.otel.exporter.otlp.traces.endpoint}). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Export requests that could not be decoded (none, or the services export something else). */
    public int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            ExportTraceServiceRequest request;
            try {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (IOException e) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            keep(request);
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    private void keep(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Resource resource = resourceSpans.getResource();
            Map<String, String> resourceAttributes = attributes(resource.getAttributesList());
            String service = resourceAttributes.getOrDefault("service.name", "");
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    if (count.incrementAndGet() > MAX_SPANS) {
                        return;
                    }
                    Map<String, String> attributes = attributes(span.getAttributesList());
                    List<String> texts = new ArrayList<>();
                    texts.add(span.getName());
                    texts.add(span.getStatus().getMessage());
                    attributes.forEach((key, value) -> {
                        texts.add(key);
                        texts.add(value);
                    });
                    resourceAttributes.forEach((key, value) -> texts.add(value));
                    for (Span.Event event : span.getEventsList()) {
                        texts.add(event.getName());
                        attributes(event.getAttributesList()).forEach((key, value) -> texts.add(value));
                    }
                    for (Span.Link link : span.getLinksList()) {
                        attributes(link.getAttributesList()).forEach((key, value) -> texts.add(value));
                    }
                    spans.add(new ReceivedSpan(service, hex.formatHex(span.getTraceId().toByteArray()),
                            hex.formatHex(span.getSpanId().toByteArray()),
                            hex.formatHex(span.getParentSpanId().toByteArray()), span.getName(), attributes,
                            List.copyOf(texts)));
                }
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (KeyValue keyValue : list) {
            attributes.put(keyValue.getKey(), text(keyValue.getValue()));
        }
        return attributes;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case BYTES_VALUE -> value.getBytesValue().toStringUtf8();
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(TraceReceiver::text).toList().toString();
            case KVLIST_VALUE -> attributes(value.getKvlistValue().getValuesList()).toString();
            default -> "";
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

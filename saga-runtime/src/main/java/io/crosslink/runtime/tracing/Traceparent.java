package io.crosslink.runtime.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The W3C {@code traceparent} of a trace, as one string: what the outbox and the work items store, and what the
 * relay sends as a Kafka header, so one saga is one trace across the services. It names a trace and a span only
 * (ids and a sampling flag), never anything a caller sent.
 */
public final class Traceparent {
    /** The W3C header, also the Kafka record header. */
    public static final String HEADER = "traceparent";

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private Traceparent() {
    }

    /** The traceparent of the current span, or null when none is current (tracing off, a background thread). */
    public static String current() {
        return of(Context.current());
    }

    /** The traceparent of the span in {@code context}, or null. */
    public static String of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return carrier.get(HEADER);
    }

    /** A context whose parent is the (remote) span {@code traceparent} names; the root context when null or invalid. */
    public static Context parent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(HEADER, traceparent), MAP);
    }

    /** Whether {@code traceparent} names a valid span. */
    public static boolean valid(String traceparent) {
        return Span.fromContext(parent(traceparent)).getSpanContext().isValid();
    }

    /** The (last) {@code traceparent} header of a record, or null. */
    public static String of(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(HEADER);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The trace id of a traceparent, or null. */
    public static String traceId(String traceparent) {
        return valid(traceparent) ? Span.fromContext(parent(traceparent)).getSpanContext().getTraceId() : null;
    }
}

package io.crosslink.runtime.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.jboss.logging.MDC;

/**
 * A span made current on this thread, with its ids in the logging MDC ({@value #TRACE_ID}, {@value #SPAN_ID}: the
 * text format prints the trace id, JSON logs carry both). {@link #close()} ends the span and puts the MDC back as it
 * was: consumer and worker threads are pooled.
 */
public final class SpanScope implements AutoCloseable {
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private final Span span;
    private final Scope scope;
    private final Object previousTraceId;
    private final Object previousSpanId;

    SpanScope(Span span) {
        this.span = span;
        this.scope = span.makeCurrent();
        this.previousTraceId = MDC.get(TRACE_ID);
        this.previousSpanId = MDC.get(SPAN_ID);
        SpanContext context = span.getSpanContext();
        if (context.isValid()) {
            MDC.put(TRACE_ID, context.getTraceId());
            MDC.put(SPAN_ID, context.getSpanId());
        }
    }

    /** Marks the span failed; {@code redactedReason} must hold no secret (pass it through the Redactor). */
    public void failed(String redactedReason) {
        span.setStatus(StatusCode.ERROR, redactedReason);
    }

    public Span span() {
        return span;
    }

    @Override
    public void close() {
        try {
            scope.close();
            span.end();
        } finally {
            restore(TRACE_ID, previousTraceId);
            restore(SPAN_ID, previousSpanId);
        }
    }

    private static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}

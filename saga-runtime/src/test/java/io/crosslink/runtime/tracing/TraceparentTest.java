package io.crosslink.runtime.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceparentTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE + "-" + SPAN + "-01";

    @Test
    void aSpanContextIsOneW3cStringAndBack() {
        Context context = Context.root().with(Span.wrap(SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(),
                TraceState.getDefault())));
        assertEquals(TRACEPARENT, Traceparent.of(context));
        SpanContext parent = Span.fromContext(Traceparent.parent(TRACEPARENT)).getSpanContext();
        assertTrue(parent.isRemote());
        assertEquals(TRACE, parent.getTraceId());
        assertEquals(SPAN, parent.getSpanId());
        assertEquals(TRACE, Traceparent.traceId(TRACEPARENT));
    }

    @Test
    void noSpanNoTraceparent() {
        assertNull(Traceparent.of(Context.root()));
        assertFalse(Traceparent.valid(null));
        assertFalse(Traceparent.valid("00-zz-yy-01"));
        assertNull(Traceparent.traceId("garbage"));
        assertFalse(Span.fromContext(Traceparent.parent(null)).getSpanContext().isValid());
    }

    @Test
    void readsTheLastHeaderOfARecord() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Traceparent.HEADER, "00-old".getBytes(StandardCharsets.UTF_8));
        headers.add(Traceparent.HEADER, TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        assertEquals(TRACEPARENT, Traceparent.of(headers));
        assertNull(Traceparent.of(new RecordHeaders()));
    }
}

package io.crosslink.runtime.tracing;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.testsupport.PostgresTestResource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.LateBoundSpanProcessor;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.RemoveableLateBoundSpanProcessor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The services' default (this module's test configuration has the same line): with no OTLP endpoint configured the
 * traces endpoint is blank, which Quarkus takes as "no exporter", so nothing is sent to, or logged about, a collector
 * that is not there; spans and trace ids exist all the same (propagation, logs).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "runtime"))
class NoExportWithoutEndpointTest {
    @Inject
    @Any
    LateBoundSpanProcessor exporting;

    @Inject
    Tracer tracer;

    @Test
    void withoutAnEndpointNoSpanIsExportedButSpansStillHaveIds() {
        assertSame(RemoveableLateBoundSpanProcessor.INSTANCE, exporting, "the no-op processor: no exporter");
        Span span = tracer.spanBuilder("local").startSpan();
        span.end();
        assertTrue(span.getSpanContext().isValid(), "spans still have a trace id");
    }
}

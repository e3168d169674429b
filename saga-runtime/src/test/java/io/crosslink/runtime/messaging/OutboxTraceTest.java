package io.crosslink.runtime.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.runtime.tracing.Traceparent;
import io.crosslink.testsupport.PostgresTestResource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** An outbox row keeps the traceparent of the span that wrote it, and the relay sends it as the record's header. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "runtime"))
class OutboxTraceTest {
    @Inject
    Outbox outbox;

    @Inject
    Tracer tracer;

    private OutboxMessage write(String eventId) {
        KeyInvalidated event = new KeyInvalidated(eventId, "traced-" + eventId, Instant.now(), List.of("k1"), true);
        QuarkusTransaction.requiringNew().run(() -> outbox.publish(event));
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage>find("messageId", eventId)
                .firstResult());
    }

    @Test
    void aRowWrittenInASpanCarriesItsTraceparentIntoTheRecordHeaders() {
        Span step = tracer.spanBuilder("step").startSpan();
        OutboxMessage row;
        try (Scope ignored = step.makeCurrent()) {
            row = write(UUID.randomUUID().toString());
        } finally {
            step.end();
        }
        assertTrue(step.getSpanContext().isValid(), "the test runs with tracing on");
        assertEquals("00-" + step.getSpanContext().getTraceId() + "-" + step.getSpanContext().getSpanId() + "-01",
                row.traceparent);

        Header header = OutboxRelay.headers(row).lastHeader(Traceparent.HEADER);
        assertEquals(row.traceparent, new String(header.value(), StandardCharsets.UTF_8));
        assertEquals(step.getSpanContext().getTraceId(), Traceparent.traceId(row.traceparent));
    }

    @Test
    void aRowWrittenOutsideAnySpanHasNoTraceparentAndItsRecordNoHeader() {
        OutboxMessage row = write(UUID.randomUUID().toString());
        assertNull(row.traceparent);
        assertNull(OutboxRelay.headers(row).lastHeader(Traceparent.HEADER));
    }

    @Test
    void aTraceparentThatIsNotValidIsNotSent() {
        OutboxMessage row = new OutboxMessage();
        row.traceparent = "00-not-a-trace-01";
        assertNull(OutboxRelay.headers(row).lastHeader(Traceparent.HEADER));
    }
}

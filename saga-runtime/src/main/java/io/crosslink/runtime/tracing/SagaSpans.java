package io.crosslink.runtime.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The saga's own spans, beside the ones Quarkus makes (REST server, REST client): one per consumed record, continuing
 * the trace its {@code traceparent} header names (a producer of {@code connection-requests} may set one; the outbox
 * relay always does), and one per work item run, child of the trace that queued the item. Attributes name the
 * topic, the connection and the work, never a payload, a header value or a URL.
 */
@ApplicationScoped
public class SagaSpans {
    static final AttributeKey<String> CONNECTION_ID = AttributeKey.stringKey("crosslink.connection_id");
    static final AttributeKey<String> WORK_KIND = AttributeKey.stringKey("crosslink.work.kind");
    static final AttributeKey<Long> WORK_ID = AttributeKey.longKey("crosslink.work.id");
    static final AttributeKey<Long> WORK_RUN = AttributeKey.longKey("crosslink.work.run");
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");

    private final Tracer tracer;

    /** Without an OpenTelemetry bean, spans are no-ops and no traceparent is stored. */
    @Inject
    public SagaSpans(Instance<OpenTelemetry> openTelemetry) {
        this(openTelemetry.isResolvable() ? openTelemetry.get() : OpenTelemetry.noop());
    }

    private SagaSpans(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.crosslink.saga");
    }

    /** Spans that record nothing: for unit tests that build a consumer themselves. */
    public static SagaSpans noop() {
        return new SagaSpans(OpenTelemetry.noop());
    }

    /** A CONSUMER span for {@code record}: child of its {@code traceparent}, else of the current span, if any. */
    public SpanScope consume(ConsumerRecord<?, ?> record) {
        String traceparent = Traceparent.of(record.headers());
        Context parent = Traceparent.valid(traceparent) ? Traceparent.parent(traceparent) : Context.current();
        Span span = tracer.spanBuilder(record.topic() + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION, "process")
                .setAttribute(CONNECTION_ID, record.key() == null ? "" : record.key().toString())
                .startSpan();
        return new SpanScope(span);
    }

    /** An INTERNAL span for one run of a work item, child of {@code traceparent} (a new trace when null). */
    public SpanScope work(String kind, long id, String connectionId, int run, String traceparent) {
        Span span = tracer.spanBuilder("work " + kind)
                .setParent(Traceparent.parent(traceparent))
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(WORK_KIND, kind)
                .setAttribute(WORK_ID, id)
                .setAttribute(WORK_RUN, (long) run)
                .setAttribute(CONNECTION_ID, connectionId)
                .startSpan();
        return new SpanScope(span);
    }
}

package io.crosslink.elastic;

import io.crosslink.events.StepFailure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code crosslink.elastic.calls{api, outcome, error_type}}: every call sent to Elastic (each send of a call sent
 * again counts), timed from the send to the answer read, or to the failure when there was no answer.
 * <ul>
 * <li>{@code api}: the call as {@link ElasticTransport} names it ({@code GET /_remote/info},
 * {@code PATCH .../keystore}): a path template, never an id, a URL or a credential;</li>
 * <li>{@code outcome}: {@code success} (2xx), {@code client_error} (4xx, answers such as a 404 lookup included),
 * {@code server_error} (5xx), {@code timeout}, {@code io} (no answer: refused, reset, closed, TLS);</li>
 * <li>{@code error_type}: Elastic's error type ({@code error.type}, the Cloud API's {@code errors[0].code}) or
 * the client's ({@code connection_refused}, ...), {@code none} on success. It comes from the answer, so only a short
 * lower-case identifier is kept; anything else is {@code other}, which keeps the series few and a body's text
 * (a secret, say) out of them.</li>
 * </ul>
 */
@ApplicationScoped
public class ElasticCallMetrics {
    static final String NAME = "crosslink.elastic.calls";
    private static final Pattern ERROR_TYPE = Pattern.compile("[a-z0-9_.]{1,64}");
    /** From a local Elasticsearch's answer to a call that ran into the request timeout (15-20 s). */
    private static final Duration[] BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20) };

    private final MeterRegistry registry;

    public ElasticCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An answer of {@code status}; {@code failure} is its error, null for a 2xx. */
    void answered(String api, int status, StepFailure failure, long nanos) {
        String outcome = status / 100 == 2 ? "success" : status >= 500 ? "server_error" : "client_error";
        record(api, outcome, failure, nanos);
    }

    /** No answer. */
    void unanswered(String api, StepFailure failure, long nanos) {
        record(api, "timeout".equals(failure.type()) ? "timeout" : "io", failure, nanos);
    }

    private void record(String api, String outcome, StepFailure failure, long nanos) {
        Timer.builder(NAME)
                .description("Calls to the Elastic Cloud API and Elasticsearch by API, outcome and error type")
                .tag("api", api)
                .tag("outcome", outcome)
                .tag("error_type", errorType(failure))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    static String errorType(StepFailure failure) {
        if (failure == null) {
            return "none";
        }
        String type = failure.type();
        return type != null && ERROR_TYPE.matcher(type).matches() ? type : "other";
    }
}

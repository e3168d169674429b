package io.crosslink.elastic;

import io.crosslink.events.StepFailure;
import io.crosslink.runtime.secret.Redactor;
import io.crosslink.runtime.work.StepWarnings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;
import org.jboss.logging.Logger;

/**
 * The one way Crosslink sends a call to Elastic, with the one policy:
 * <ul>
 * <li>a Quarkus REST client per target (base URL, credentials, TLS configuration), built at run time and kept;</li>
 * <li>{@code crosslink.elastic.connect-timeout} and {@code request-timeout} on every call, nothing waited beyond;</li>
 * <li>answers of every status are returned, except transient ones (408, 429, 5xx that is not a cross-cluster
 * verdict) and missing ones, which throw {@link TransientElasticCallException} carrying the {@code Retry-After};</li>
 * <li>idempotent calls are sent again at once a few times after an answered transient error or a dropped connection
 * (never after a timeout, a refusal or a {@code Retry-After}, never with a pause): longer waits are the work items'
 * own, parked, so no worker or permit is held by a slow deployment;</li>
 * <li>failure texts are redacted with the target's secrets and any the caller names.</li>
 * </ul>
 */
@ApplicationScoped
public class ElasticTransport {
    private static final Logger LOG = Logger.getLogger(ElasticTransport.class);
    private static final List<String> KEPT_HEADERS = List.of("retry-after", "x-cloud-resource-version", "warning");
    static final AttributeKey<String> CALL = AttributeKey.stringKey("crosslink.elastic.call");
    static final AttributeKey<String> TARGET = AttributeKey.stringKey("crosslink.elastic.target");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final ElasticClientConfig config;
    private final Instance<TlsConfigurationRegistry> tlsRegistry;
    private final ElasticCallMetrics metrics;
    private final Tracer tracer;
    private final Map<ClientKey, Object> clients = new ConcurrentHashMap<>();

    public ElasticTransport(ElasticClientConfig config, Instance<TlsConfigurationRegistry> tlsRegistry,
            ElasticCallMetrics metrics, Instance<OpenTelemetry> openTelemetry) {
        this.config = config;
        this.tlsRegistry = tlsRegistry;
        this.metrics = metrics;
        this.tracer = (openTelemetry.isResolvable() ? openTelemetry.get() : OpenTelemetry.noop())
                .getTracer("io.crosslink.elastic");
    }

    /**
     * Sends {@code request} to {@code target} through {@code api}'s client. {@code call} names it in messages
     * ({@code GET /_remote/info}; never a secret); {@code secrets} are values to redact besides the target's own.
     */
    public <R> ElasticAnswer send(ElasticTarget target, Class<R> api, String call, Idempotency idempotency,
            Function<R, Response> request, String... secrets) {
        int resends = idempotency == Idempotency.IDEMPOTENT ? Math.max(0, config.idempotentCallRetries()) : 0;
        for (int resend = 0;; resend++) {
            try {
                return sendOnce(target, api, call, request, secrets);
            } catch (TransientElasticCallException e) {
                if (resend >= resends || !worthSendingAgainAtOnce(e)) {
                    throw e;
                }
                LOG.debugf("%s on %s failed (%s), sending it again (%d of %d)", call, target.name(),
                        e.failure().type(), resend + 1, resends);
            }
        }
    }

    /**
     * An answered 5xx/429/408 or a dropped connection: the next call may well pass. Not a timeout or a refusal (the
     * same again would only hold the worker longer), not an answer that asks to wait.
     */
    static boolean worthSendingAgainAtOnce(ElasticCallException e) {
        String type = e.failure().type();
        return e.isTransient() && e.retryAfter().isEmpty() && !"timeout".equals(type)
                && !"connection_refused".equals(type);
    }

    /**
     * One call, as a CLIENT span of the current trace (the work item's run), so the REST client's own span is its child.
     * Its attributes are the call's name, the target's name, the status and the failure type: never the URL (a service
     * URL may carry credentials), a header or a body.
     */
    private <R> ElasticAnswer sendOnce(ElasticTarget target, Class<R> api, String call, Function<R, Response> request,
            String... secrets) {
        Span span = tracer.spanBuilder(call)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(CALL, call)
                .setAttribute(TARGET, target.name())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            ElasticAnswer answer = sendOnceTraced(target, api, call, request, secrets);
            span.setAttribute(STATUS, (long) answer.status());
            if (!answer.ok()) {
                span.setAttribute(ERROR_TYPE, answer.failure().type());
            }
            return answer;
        } catch (ElasticCallException e) {
            e.answer().ifPresent(answer -> span.setAttribute(STATUS, (long) answer.status()));
            span.setAttribute(ERROR_TYPE, e.failure().type());
            span.setStatus(StatusCode.ERROR, e.failure().type());
            throw e;
        } finally {
            span.end();
        }
    }

    private <R> ElasticAnswer sendOnceTraced(ElasticTarget target, Class<R> api, String call,
            Function<R, Response> request, String... secrets) {
        String[] redacted = redactions(target, secrets);
        R client = client(target, api);
        Response response = null;
        ElasticAnswer answer;
        long started = System.nanoTime();
        try {
            response = request.apply(client);
            int status = response.getStatus();
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            StepFailure failure = status / 100 == 2 ? null : ElasticErrors.fromResponse(status, body, redacted);
            answer = new ElasticAnswer(status, body, headers(response), failure);
            metrics.answered(call, status, failure, System.nanoTime() - started);
            // Deprecations (9.x warns about what 10 removes) reach the operator's log, redacted like errors.
            for (String warning : answer.warnings()) {
                String text = Redactor.redact(warning, redacted);
                LOG.warnf("%s on %s: Elasticsearch warns: %s", call, target.name(), text);
                StepWarnings.add(text);
            }
        } catch (RuntimeException e) {
            // No answer (refused, reset, closed, timed out, TLS): say where to, as the exception alone may not.
            StepFailure failure = ElasticErrors.fromException(e, redacted);
            metrics.unanswered(call, failure, System.nanoTime() - started);
            StepFailure located = new StepFailure(failure.type(), "no answer to " + call + " from "
                    + target.displayUrl() + " (" + target.name() + "): " + failure.reason()
                    + ("tls_error".equals(failure.type()) && target.tlsConfiguration().isEmpty()
                            ? " (an endpoint with its own CA needs a tls-configuration-name)" : ""),
                    null, failure.retryable());
            LOG.debugf("%s on %s: %s", call, target.name(), located.reason());
            throw ElasticCallException.of(located, null, null);
        } finally {
            if (response != null) {
                response.close();
            }
        }
        if (!answer.ok() && answer.failure().retryable()
                && !ElasticErrors.remoteClusterVerdict(answer.status(), answer.body())) {
            Optional<Duration> retryAfter = answer.header("retry-after")
                    .flatMap(value -> RetryAfter.parse(value, Clock.systemUTC()))
                    .map(wait -> wait.compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : wait);
            LOG.debugf("%s on %s answered %d (%s)%s", call, target.name(), answer.status(), answer.failure().type(),
                    retryAfter.map(wait -> ", retry after " + wait).orElse(""));
            throw ElasticCallException.of(answer.failure(), retryAfter.orElse(null), answer);
        }
        return answer;
    }

    private <R> R client(ElasticTarget target, Class<R> api) {
        ClientKey key = new ClientKey(api, target.baseUri(), target.authorization(), target.tlsConfiguration());
        return api.cast(clients.computeIfAbsent(key, ignored -> build(target, api)));
    }

    private Object build(ElasticTarget target, Class<?> api) {
        String base = target.baseUri().toString();
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .disableDefaultMapper(true)
                .clientHeadersFactory(new Authorization(target.authorization()));
        target.tlsConfiguration().ifPresent(name -> builder.tlsConfiguration(tls(target, name)));
        return builder.build(api);
    }

    private TlsConfiguration tls(ElasticTarget target, String name) {
        Optional<TlsConfiguration> configuration = tlsRegistry.isResolvable() ? tlsRegistry.get().get(name)
                : Optional.empty();
        return configuration.orElseThrow(() -> ElasticCallException.of(new StepFailure("tls_configuration_not_found",
                target.name() + " names the TLS configuration [" + name + "], which is not configured (quarkus.tls."
                        + name + ".trust-store...)", null, false)));
    }

    private static Map<String, String> headers(Response response) {
        Map<String, String> kept = new HashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = response.getHeaderString(name);
            if (value != null) {
                kept.put(name.toLowerCase(Locale.ROOT), value);
            }
        }
        return kept;
    }

    private static String[] redactions(ElasticTarget target, String... secrets) {
        List<String> own = target.secrets();
        String[] all = new String[own.size() + secrets.length];
        for (int i = 0; i < own.size(); i++) {
            all[i] = own.get(i);
        }
        System.arraycopy(secrets, 0, all, own.size(), secrets.length);
        return all;
    }

    /** Whether a call may be sent twice with the same effect (a GET, a PUT of a whole value, a DELETE). */
    public enum Idempotency {
        IDEMPOTENT,
        /** Sent once per run: only the caller can repeat it safely (a key creation looks for a lost key first). */
        ONCE
    }

    /** One client per endpoint and credentials; the key stays in memory and is never printed. */
    private record ClientKey(Class<?> api, URI baseUri, String authorization, Optional<String> tls) {
        @Override
        public String toString() {
            return "ClientKey[" + api.getSimpleName() + " " + baseUri.getHost() + "]";
        }
    }

    /** Sends the target's {@code Authorization} on every call of its client. */
    private record Authorization(String value) implements ClientHeadersFactory {
        @Override
        public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incomingHeaders,
                MultivaluedMap<String, String> clientOutgoingHeaders) {
            MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
            headers.putSingle("Authorization", value);
            return headers;
        }

        @Override
        public String toString() {
            return "Authorization[redacted]";
        }
    }
}

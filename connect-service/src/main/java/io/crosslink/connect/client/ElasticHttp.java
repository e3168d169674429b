package io.crosslink.connect.client;

import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.runtime.elastic.ElasticErrors;
import io.crosslink.runtime.elastic.RetryAfter;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * One JDK HTTP client for every Elastic endpoint: base URLs differ per environment and deployment and come
 * from configuration, and real Elastic Cloud is HTTPS with public certificates, which the JDK trusts.
 * Transient outcomes become {@link TransientElasticException} (with the answer's {@code Retry-After}) so callers'
 * {@code @Retry} can act on them.
 */
@ApplicationScoped
public class ElasticHttp {
    /** Longer {@code Retry-After} waits are not honoured in full: the work's own bounds (deadline) take over. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

    private final HttpClient client;
    private final Duration timeout;

    public ElasticHttp(ConnectConfig config) {
        this.timeout = config.work().httpTimeout();
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Sends a request; {@code secrets} are redacted from any failure text. */
    public HttpAnswer send(String method, URI uri, String authorization, String jsonBody, String... secrets) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransientElasticException(ElasticErrors.fromException(e, secrets));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientElasticException(ElasticErrors.fromException(e, secrets));
        }
        if (ElasticErrors.transientStatus(response.statusCode())) {
            throw new TransientElasticException(ElasticErrors.fromResponse(response.statusCode(), response.body(), secrets),
                    RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Clock.systemUTC())
                            .map(wait -> wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait)
                            .orElse(null));
        }
        return new HttpAnswer(response.statusCode(), response.body());
    }

    /** {@code base} + {@code path}, tolerating a trailing slash on the configured base URL. */
    public static URI resolve(String base, String path) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(trimmed + path);
    }
}

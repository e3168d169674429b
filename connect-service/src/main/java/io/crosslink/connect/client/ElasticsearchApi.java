package io.crosslink.connect.client;

import io.crosslink.connect.config.ConnectConfig;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * A deployment's Elasticsearch REST API, called directly as the configured user. Transient failures are retried
 * with exponential backoff and jitter (honouring {@code Retry-After}), bounded in attempts and time; then the
 * {@link TransientElasticException} reaches the caller, whose work stays pending.
 */
@ApplicationScoped
// Every call here is idempotent (a GET, a PUT of the whole value, a DELETE), so all share one retry policy.
@Retry(maxRetries = 3, delay = 500, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
        retryOn = TransientElasticException.class)
@CustomBackoff(ElasticBackoff.class)
@Timeout(value = 60, unit = ChronoUnit.SECONDS)
public class ElasticsearchApi {
    private final ElasticHttp http;

    public ElasticsearchApi(ElasticHttp http) {
        this.http = http;
    }

    /** {@code PUT /_cluster/settings}: idempotent, the same settings may be written again. */
    public HttpAnswer putClusterSettings(ConnectConfig.Deployment deployment, String settingsJson) {
        return http.send("PUT", ElasticHttp.resolve(deployment.elasticsearchUrl(), "/_cluster/settings"),
                basic(deployment), settingsJson, deployment.password());
    }

    /** {@code GET /_security/role/{name}}: 200 {@code {"<name>":{...}}}, or 404 {@code {}} when there is none. */
    public HttpAnswer getRole(ConnectConfig.Deployment deployment, String name) {
        return http.send("GET", rolePath(deployment, name), basic(deployment), null, deployment.password());
    }

    /** {@code PUT /_security/role/{name}}: creates or replaces the role (idempotent). */
    public HttpAnswer putRole(ConnectConfig.Deployment deployment, String name, String roleJson) {
        return http.send("PUT", rolePath(deployment, name), basic(deployment), roleJson, deployment.password());
    }

    /** {@code DELETE /_security/role/{name}}: 200 {@code {"found":true}}, 404 {@code {"found":false}} (idempotent). */
    public HttpAnswer deleteRole(ConnectConfig.Deployment deployment, String name) {
        return http.send("DELETE", rolePath(deployment, name), basic(deployment), null, deployment.password());
    }

    private static java.net.URI rolePath(ConnectConfig.Deployment deployment, String name) {
        return ElasticHttp.resolve(deployment.elasticsearchUrl(),
                "/_security/role/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8));
    }

    private static String basic(ConnectConfig.Deployment deployment) {
        String credentials = deployment.username() + ":" + deployment.password();
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}

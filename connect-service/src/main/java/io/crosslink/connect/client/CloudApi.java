package io.crosslink.connect.client;

import io.crosslink.connect.config.ConnectConfig;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The Elastic Cloud / ECE RESTful API of an environment ({@code Authorization: ApiKey <key>}). Transient failures
 * are retried with {@link ElasticBackoff} (exponential, jitter, {@code Retry-After}), bounded in attempts and time.
 */
@ApplicationScoped
public class CloudApi {
    private final ElasticHttp http;

    public CloudApi(ElasticHttp http) {
        this.http = http;
    }

    /** {@code GET /api/v1/deployments/{id}}: the deployment, or the Cloud API's error answer. */
    @Retry(maxRetries = 3, delay = 500, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
            retryOn = TransientElasticException.class)
    @CustomBackoff(ElasticBackoff.class)
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    public HttpAnswer deployment(ConnectConfig.Environment environment, String deploymentId) {
        String path = "/api/v1/deployments/" + URLEncoder.encode(deploymentId, StandardCharsets.UTF_8);
        return http.send("GET", ElasticHttp.resolve(environment.url(), path), "ApiKey " + environment.apiKey(), null,
                environment.apiKey());
    }
}

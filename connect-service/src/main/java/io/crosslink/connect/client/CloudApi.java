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
        return send(environment, "GET", "/api/v1/deployments/" + encode(deploymentId), null);
    }

    /** {@code GET /api/v1/account}: the account of the API key ({@code AccountResponse}, {@code id}). */
    @Retry(maxRetries = 3, delay = 500, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
            retryOn = TransientElasticException.class)
    @CustomBackoff(ElasticBackoff.class)
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    public HttpAnswer account(ConnectConfig.Environment environment) {
        return send(environment, "GET", "/api/v1/account", null);
    }

    /** {@code GET /api/v1/deployments/{id}/certificate-authority}: {@code CertificateAuthority}. */
    @Retry(maxRetries = 3, delay = 500, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
            retryOn = TransientElasticException.class)
    @CustomBackoff(ElasticBackoff.class)
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    public HttpAnswer certificateAuthority(ConnectConfig.Environment environment, String deploymentId) {
        return send(environment, "GET", "/api/v1/deployments/" + encode(deploymentId) + "/certificate-authority", null);
    }

    /** {@code GET /api/v1/deployments/{id}/elasticsearch/{refId}/remote-clusters}: {@code RemoteResources}. */
    @Retry(maxRetries = 3, delay = 500, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
            retryOn = TransientElasticException.class)
    @CustomBackoff(ElasticBackoff.class)
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    public HttpAnswer remoteClusters(ConnectConfig.Environment environment, String deploymentId, String refId) {
        return send(environment, "GET", remoteClustersPath(deploymentId, refId), null);
    }

    /**
     * {@code PUT .../remote-clusters}: replaces the whole list (202). Retrying it is safe: the caller writes the same
     * complete list again, under its per-deployment lock.
     */
    @Retry(maxRetries = 3, delay = 500, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
            retryOn = TransientElasticException.class)
    @CustomBackoff(ElasticBackoff.class)
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    public HttpAnswer putRemoteClusters(ConnectConfig.Environment environment, String deploymentId, String refId,
            String remoteResourcesJson) {
        return send(environment, "PUT", remoteClustersPath(deploymentId, refId), remoteResourcesJson);
    }

    private HttpAnswer send(ConnectConfig.Environment environment, String method, String path, String body) {
        return http.send(method, ElasticHttp.resolve(environment.url(), path), "ApiKey " + environment.apiKey(), body,
                environment.apiKey());
    }

    private static String remoteClustersPath(String deploymentId, String refId) {
        return "/api/v1/deployments/" + encode(deploymentId) + "/elasticsearch/" + encode(refId) + "/remote-clusters";
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}

package io.crosslink.trust.client;

import io.crosslink.events.StepFailure;
import io.crosslink.runtime.elastic.RetryAfter;
import io.crosslink.trust.config.TrustConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * One exchange with the Cloud API of a deployment's environment ({@code crosslink.environments.<env>}), for the
 * keystore and the trust clients: {@code Authorization: ApiKey <key>}, JSON both ways, the per-request timeout. The
 * base URL is chosen per call (environments are configuration), hence the JDK HTTP client rather than a static REST
 * client. Anything but a 2xx answer becomes a {@link CloudApiException} whose text has the Cloud API key and the
 * given secrets redacted. Only idempotent calls are re-sent here, at once and a few times; otherwise a transient
 * failure parks the calling work item.
 */
final class CloudApiHttp {
    private static final Logger LOG = Logger.getLogger(CloudApiHttp.class);

    private final TrustConfig config;
    private final HttpClient http;

    CloudApiHttp(TrustConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.elastic().connectTimeout())
                .build();
    }

    /**
     * {@code method} of {@code pathAndQuery} (from {@code /api/v1/...}) with {@code body} (null: none);
     * {@code description} names the call in logs (never a secret).
     */
    HttpResponse<String> send(DeploymentResource resource, String method, String pathAndQuery, String body,
            String description, String... secrets) {
        boolean idempotent = "GET".equals(method) || ("PATCH".equals(method) && pathAndQuery.endsWith("/keystore"));
        int resends = idempotent ? Math.max(0, config.elastic().idempotentCallRetries()) : 0;
        for (int resend = 0; ; resend++) {
            try {
                return sendOnce(resource, method, pathAndQuery, body, description, secrets);
            } catch (CloudApiException.Transient e) {
                // A slow deployment is not asked again at once, nor one that said when to come back.
                if (resend >= resends || e.retryAfter().isPresent() || "timeout".equals(e.failure().type())) {
                    throw e;
                }
            }
        }
    }

    private HttpResponse<String> sendOnce(DeploymentResource resource, String method, String pathAndQuery,
            String body, String description, String... secrets) {
        TrustConfig.Environment environment = config.environments().get(resource.environment());
        if (environment == null) {
            throw CloudApiException.of(new StepFailure("environment_not_configured",
                    "no Cloud API is configured for environment [" + resource.environment() + "]", null, false));
        }
        String[] redacted = withApiKey(secrets, environment.apiKey());
        HttpRequest request = HttpRequest.newBuilder(uri(environment.url(), pathAndQuery))
                .timeout(config.elastic().requestTimeout())
                .header("Authorization", "ApiKey " + environment.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            CloudApiException failure = CloudApiException.fromException(e, redacted);
            LOG.warnf("%s failed: %s", description, failure.getMessage());
            throw failure;
        } catch (InterruptedException e) {
            // The fault-tolerance @Timeout interrupts a call that takes too long.
            Thread.currentThread().interrupt();
            throw CloudApiException.of(new StepFailure("timeout", description + " was interrupted", null, true));
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            CloudApiException failure = CloudApiException.fromResponse(status, response.body(),
                    RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Clock.systemUTC()),
                    redacted);
            LOG.warnf("%s answered %d: %s", description, status, failure.getMessage());
            throw failure;
        }
        return response;
    }

    /** {@code /api/v1/deployments/{id}} with the id percent-encoded. */
    static String deploymentPath(DeploymentResource resource) {
        return "/api/v1/deployments/" + segment(resource.deploymentId());
    }

    /** {@code .../elasticsearch/{ref_id}} of the deployment. */
    static String elasticsearchPath(DeploymentResource resource) {
        return deploymentPath(resource) + "/elasticsearch/" + segment(resource.refId());
    }

    static URI uri(String baseUrl, String pathAndQuery) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base + pathAndQuery);
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String[] withApiKey(String[] secrets, String apiKey) {
        String[] all = java.util.Arrays.copyOf(secrets, secrets.length + 1);
        all[secrets.length] = apiKey;
        return all;
    }
}

package io.crosslink.trust.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.events.elastic.RetryAfter;
import io.crosslink.trust.config.TrustConfig;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The keystore of an Elasticsearch resource through the Cloud API of its environment:
 * {@code PATCH {url}/api/v1/deployments/{id}/elasticsearch/{ref_id}/keystore} with a partial
 * {@code KeystoreContents}, {@code Authorization: ApiKey <key>}. The base URL is chosen per call (environments
 * are configuration), so this uses the JDK HTTP client rather than a static REST client. Transient failures are
 * retried with exponential backoff and jitter, waiting at least what a {@code Retry-After} asks for
 * ({@link CloudApiBackoff}), each attempt bounded; permanent ones (other 4xx) are not. Retry and timeout values
 * can be changed in configuration ({@code io.crosslink.trust.client.CloudKeystoreClient/putSecret/Retry/maxRetries},
 * {@code .../removeSecret/Retry/...}).
 */
@ApplicationScoped
public class CloudKeystoreClient implements KeystoreClient {
    private static final Logger LOG = Logger.getLogger(CloudKeystoreClient.class);

    private final TrustConfig config;
    private final HttpClient http;

    public CloudKeystoreClient(TrustConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.elastic().connectTimeout())
                .build();
    }

    @Override
    @Retry(maxRetries = 5, delay = 1000, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
            retryOn = { CloudApiException.Transient.class, TimeoutException.class })
    @CustomBackoff(CloudApiBackoff.class)
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public void putSecret(DeploymentResource resource, String settingName, String value) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.putObject("secrets").putObject(settingName).put("value", value).put("as_file", false);
        patch(resource, settingName, body, value);
    }

    @Override
    @Retry(maxRetries = 5, delay = 1000, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
            retryOn = { CloudApiException.Transient.class, TimeoutException.class })
    @CustomBackoff(CloudApiBackoff.class)
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public void removeSecret(DeploymentResource resource, String settingName) {
        // An entry without a value is removed (KeystoreSecret: "when the keystore secret is unspecified, it is
        // removed"); terraform-provider-ec sends exactly this shape. Removing an entry that is not there is not an
        // error (cloud-sim answers 200 and changes nothing), so the undo can run whenever it is in doubt.
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.putObject("secrets").putObject(settingName).put("as_file", false);
        patch(resource, settingName, body, null);
    }

    private void patch(DeploymentResource resource, String settingName, ObjectNode body, String secret) {
        TrustConfig.Environment environment = config.environments().get(resource.environment());
        if (environment == null) {
            throw CloudApiException.of(new StepFailure("environment_not_configured",
                    "no Cloud API is configured for environment [" + resource.environment() + "]", null, false));
        }
        HttpRequest request = HttpRequest.newBuilder(keystoreUri(environment.url(), resource))
                .timeout(config.elastic().requestTimeout())
                .header("Authorization", "ApiKey " + environment.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(EventCodec.encode(body)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            CloudApiException failure = CloudApiException.fromException(e, secret, environment.apiKey());
            LOG.warnf("keystore PATCH of %s/%s (%s) failed: %s", resource.deploymentId(), resource.refId(),
                    settingName, failure.getMessage());
            throw failure;
        } catch (InterruptedException e) {
            // The fault-tolerance @Timeout interrupts a call that takes too long.
            Thread.currentThread().interrupt();
            throw CloudApiException.of(new StepFailure("timeout", "the keystore call was interrupted", null, true));
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            CloudApiException failure = CloudApiException.fromResponse(status, response.body(),
                    RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Clock.systemUTC()),
                    secret, environment.apiKey());
            LOG.warnf("keystore PATCH of %s/%s (%s) answered %d: %s", resource.deploymentId(), resource.refId(),
                    settingName, status, failure.getMessage());
            throw failure;
        }
        LOG.infof("keystore of %s/%s: %s %s", resource.deploymentId(), resource.refId(),
                secret == null ? "removed" : "wrote", settingName);
    }

    static URI keystoreUri(String baseUrl, DeploymentResource resource) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base + "/api/v1/deployments/" + segment(resource.deploymentId()) + "/elasticsearch/"
                + segment(resource.refId()) + "/keystore");
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package io.crosslink.trust.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import io.crosslink.trust.config.TrustConfig;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final CloudApiHttp http;

    public CloudKeystoreClient(TrustConfig config) {
        this.http = new CloudApiHttp(config);
    }

    @Override
    @Retry(maxRetries = 10, delay = 1000, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
            retryOn = { CloudApiException.Transient.class, TimeoutException.class })
    @CustomBackoff(CloudApiBackoff.class)
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public void putSecret(DeploymentResource resource, String settingName, String value) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.putObject("secrets").putObject(settingName).put("value", value).put("as_file", false);
        patch(resource, settingName, body, value);
    }

    @Override
    @Retry(maxRetries = 10, delay = 1000, maxDuration = 3, durationUnit = ChronoUnit.MINUTES,
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
        http.send(resource, "PATCH", CloudApiHttp.elasticsearchPath(resource) + "/keystore", EventCodec.encode(body),
                "keystore PATCH of " + resource.deploymentId() + "/" + resource.refId() + " (" + settingName + ")",
                secret);
        LOG.infof("keystore of %s/%s: %s %s", resource.deploymentId(), resource.refId(),
                secret == null ? "removed" : "wrote", settingName);
    }
}

package io.crosslink.trust.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.trust.config.TrustConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

/**
 * The keystore of an Elasticsearch resource through the Cloud API of its environment:
 * {@code PATCH {url}/api/v1/deployments/{id}/elasticsearch/{ref_id}/keystore} with a partial
 * {@code KeystoreContents}, {@code Authorization: ApiKey <key>}. The base URL is chosen per call (environments
 * are configuration), so this uses the JDK HTTP client rather than a static REST client. One call, one request,
 * bounded by {@code crosslink.elastic.request-timeout} (and {@code @Timeout}): nothing is retried or waited for here.
 * A transient failure ({@link CloudApiException.Transient}, with the answer's {@code Retry-After}) parks the work item
 * that made the call, which runs again later; a permanent one (other 4xx) ends it.
 */
@ApplicationScoped
public class CloudKeystoreClient implements KeystoreClient {
    private static final Logger LOG = Logger.getLogger(CloudKeystoreClient.class);

    private final CloudApiHttp http;

    public CloudKeystoreClient(TrustConfig config) {
        this.http = new CloudApiHttp(config);
    }

    @Override
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public void putSecret(DeploymentResource resource, String settingName, String value) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.putObject("secrets").putObject(settingName).put("value", value).put("as_file", false);
        patch(resource, settingName, body, value);
    }

    @Override
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public void removeSecret(DeploymentResource resource, String settingName) {
        // An entry without a value is removed (KeystoreSecret: "when the keystore secret is unspecified, it is
        // removed"); terraform-provider-ec sends exactly this shape. Removing an entry that is not there is not an
        // error (cloud-sim answers 200 and changes nothing), so the undo can run whenever it is in doubt.
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.putObject("secrets").putObject(settingName).put("as_file", false);
        patch(resource, settingName, body, null);
    }

    /**
     * {@code GET .../keystore}: {@code {"secrets":{"<name>":{"as_file":false}, ...}}}. How the undo finds out whether
     * a removal whose answer was lost (timeout, 5xx, dropped connection) took effect.
     */
    @Override
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public Set<String> listSecrets(DeploymentResource resource) {
        HttpResponse<String> response = http.send(resource, "GET", CloudApiHttp.elasticsearchPath(resource)
                + "/keystore", null, "keystore GET of " + resource.deploymentId() + "/" + resource.refId());
        JsonNode contents;
        try {
            contents = EventCodec.mapper().readTree(response.body());
        } catch (IOException e) {
            throw CloudApiException.of(new StepFailure("invalid_response", "the Cloud API listed the keystore of ["
                    + resource.deploymentId() + "] with something that is not JSON", response.statusCode(), true));
        }
        JsonNode secrets = contents.path("secrets");
        if (!secrets.isObject()) {
            throw CloudApiException.of(new StepFailure("invalid_response", "the Cloud API listed the keystore of ["
                    + resource.deploymentId() + "] without secrets", response.statusCode(), true));
        }
        Set<String> names = new TreeSet<>();
        secrets.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void patch(DeploymentResource resource, String settingName, ObjectNode body, String secret) {
        http.send(resource, "PATCH", CloudApiHttp.elasticsearchPath(resource) + "/keystore", EventCodec.encode(body),
                "keystore PATCH of " + resource.deploymentId() + "/" + resource.refId() + " (" + settingName + ")",
                secret);
        LOG.infof("keystore of %s/%s: %s %s", resource.deploymentId(), resource.refId(),
                secret == null ? "removed" : "wrote", settingName);
    }
}

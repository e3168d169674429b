package io.crosslink.trust.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.elastic.CloudApi;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The keystore of an Elasticsearch resource through the Cloud API of its environment:
 * {@code PATCH .../deployments/{id}/elasticsearch/{ref_id}/keystore} with a partial {@code KeystoreContents}, on the
 * one Elastic client: a lost answer is sent again at once there (the PATCH sets exactly what it names), nothing is
 * waited for. A transient failure ({@link io.crosslink.elastic.TransientElasticCallException}, with the answer's
 * {@code Retry-After}) parks the work item that made the call; a permanent one (other 4xx) ends it.
 */
@ApplicationScoped
public class CloudKeystoreClient implements KeystoreClient {
    private static final Logger LOG = Logger.getLogger(CloudKeystoreClient.class);

    private final CloudTargets targets;
    private final CloudApi cloud;

    public CloudKeystoreClient(CloudTargets targets, CloudApi cloud) {
        this.targets = targets;
        this.cloud = cloud;
    }

    @Override
    public void putSecret(DeploymentResource resource, String settingName, String value) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.putObject("secrets").putObject(settingName).put("value", value).put("as_file", false);
        patch(resource, settingName, body, value);
    }

    @Override
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
    public Set<String> listSecrets(DeploymentResource resource) {
        JsonNode secrets = cloud.keystore(targets.of(resource.environment()), resource.deploymentId(), resource.refId())
                .requireOk().json().path("secrets");
        if (!secrets.isObject()) {
            throw ElasticCallException.of(new StepFailure("invalid_response", "the Cloud API listed the keystore of ["
                    + resource.deploymentId() + "] without secrets", 200, true));
        }
        Set<String> names = new TreeSet<>();
        secrets.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void patch(DeploymentResource resource, String settingName, ObjectNode body, String secret) {
        cloud.patchKeystore(targets.of(resource.environment()), resource.deploymentId(), resource.refId(),
                EventCodec.encode(body), secret).requireOk();
        LOG.infof("keystore of %s/%s: %s %s", resource.deploymentId(), resource.refId(),
                secret == null ? "removed" : "wrote", settingName);
    }
}

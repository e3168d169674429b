package io.crosslink.trust.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.elastic.CloudApi;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The keystore of an Elasticsearch resource through the Cloud API of its environment:
 * {@code PATCH .../deployments/{id}/elasticsearch/{ref_id}/keystore} with a partial {@code KeystoreContents}, on the
 * one Elastic client: a lost answer is sent again at once there (the PATCH sets exactly what it names), nothing is
 * waited for. Changes to one keystore that come while its PATCH is in flight leave together in the next
 * ({@link KeystoreBatches}). A transient failure ({@link io.crosslink.elastic.TransientElasticCallException}, with the answer's
 * {@code Retry-After}) parks the work item that made the call; a permanent one (other 4xx) ends it.
 */
@ApplicationScoped
public class CloudKeystoreClient implements KeystoreClient {
    private static final Logger LOG = Logger.getLogger(CloudKeystoreClient.class);

    private final CloudTargets targets;
    private final CloudApi cloud;
    private final KeystoreBatches batches = new KeystoreBatches(this::patch);

    public CloudKeystoreClient(CloudTargets targets, CloudApi cloud) {
        this.targets = targets;
        this.cloud = cloud;
    }

    @Override
    public void putSecret(DeploymentResource resource, String settingName, String value) {
        batches.apply(resource, new KeystoreBatches.Change(settingName, value));
    }

    @Override
    public void removeSecret(DeploymentResource resource, String settingName) {
        batches.apply(resource, new KeystoreBatches.Change(settingName, null));
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

    /**
     * One PATCH with every change: a string secret with its value, or an entry without a value, which is removed
     * (KeystoreSecret: "when the keystore secret is unspecified, it is removed"; terraform-provider-ec sends exactly
     * this shape). Removing an entry that is not there is not an error (cloud-sim answers 200 and changes nothing), so
     * the undo can run whenever it is in doubt. Every value is redacted from whatever the answer says.
     */
    void patch(DeploymentResource resource, List<KeystoreBatches.Change> changes) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        ObjectNode secrets = body.putObject("secrets");
        for (KeystoreBatches.Change change : changes) {
            ObjectNode entry = secrets.putObject(change.settingName());
            if (change.value() != null) {
                entry.put("value", change.value());
            }
            entry.put("as_file", false);
        }
        // A removal's null value is skipped by patchKeystore.
        String[] values = changes.stream().map(KeystoreBatches.Change::value).toArray(String[]::new);
        cloud.patchKeystore(targets.of(resource.environment()), resource.deploymentId(), resource.refId(),
                EventCodec.encode(body), values).requireOk();
        for (KeystoreBatches.Change change : changes) {
            LOG.infof("keystore of %s/%s: %s %s%s", resource.deploymentId(), resource.refId(),
                    change.value() == null ? "removed" : "wrote", change.settingName(),
                    changes.size() == 1 ? "" : " (one PATCH of " + changes.size() + ")");
        }
    }
}

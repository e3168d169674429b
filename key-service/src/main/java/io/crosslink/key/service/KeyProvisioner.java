package io.crosslink.key.service;

import io.crosslink.key.client.ApiKeyInfo;
import io.crosslink.key.client.CreatedApiKey;
import io.crosslink.key.client.CrossClusterApiKeyRequest;
import io.crosslink.key.client.ElasticClient;
import io.crosslink.key.domain.KeySpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Creates a connection's key on R when key-service holds no record of it. An attempt first invalidates any
 * active key of that connection already on R: its encoded value is lost (a crash between the create and the
 * commit, or an answer that never arrived), so nobody could ever use it. That makes an attempt safe to repeat,
 * which {@link CreateKeyHandler} does after transient errors, in later runs of its work item (it parks in between:
 * nothing waits here).
 */
@ApplicationScoped
public class KeyProvisioner {
    private static final Logger LOG = Logger.getLogger(KeyProvisioner.class);

    private final ElasticClient elastic;

    public KeyProvisioner(ElasticClient elastic) {
        this.elastic = elastic;
    }

    /**
     * One attempt: lookup, invalidation of lost keys, create. Fails with an {@code ElasticCallException}
     * ({@code TransientElasticCallException} when another attempt may succeed).
     */
    public CreatedApiKey provision(String connectionId, String deploymentId, CrossClusterApiKeyRequest request) {
        List<String> lost = elastic.activeApiKeys(deploymentId, request.name()).stream()
                .filter(key -> KeySpec.isOurs(key.metadata(), connectionId))
                .map(ApiKeyInfo::id)
                .toList();
        if (!lost.isEmpty()) {
            LOG.infof("connection %s: invalidating key(s) %s on deployment %s, whose encoded value was lost",
                    connectionId, lost, deploymentId);
            elastic.invalidateApiKeys(deploymentId, lost);
        }
        CreatedApiKey created = elastic.createCrossClusterApiKey(deploymentId, request);
        LOG.infof("connection %s: created cross-cluster API key %s (id %s) on deployment %s",
                connectionId, created.name(), created.id(), deploymentId);
        return created;
    }
}

package io.crosslink.key.service;

import io.crosslink.key.client.ApiKeyInfo;
import io.crosslink.key.client.CreatedApiKey;
import io.crosslink.key.client.CrossClusterApiKeyRequest;
import io.crosslink.key.client.ElasticBackoff;
import io.crosslink.key.client.ElasticClient;
import io.crosslink.key.client.TransientElasticCallException;
import io.crosslink.key.domain.KeySpec;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Creates a connection's key on R when key-service holds no record of it. An attempt first invalidates any
 * active key of that connection already on R: its encoded value is lost (a crash between the create and the
 * commit, or an answer that never arrived), so nobody could ever use it. That makes an attempt safe to repeat,
 * which is what {@code @Retry} does on transient errors, backing off as {@link ElasticBackoff} says (exponential
 * with jitter, honouring {@code Retry-After}); overridable per environment with
 * {@code quarkus.fault-tolerance."io.crosslink.key.service.KeyProvisioner/provision".retry.*}).
 */
@ApplicationScoped
public class KeyProvisioner {
    private static final Logger LOG = Logger.getLogger(KeyProvisioner.class);

    private final ElasticClient elastic;

    public KeyProvisioner(ElasticClient elastic) {
        this.elastic = elastic;
    }

    @Retry(retryOn = {TransientElasticCallException.class, TimeoutException.class},
            maxRetries = 10, delay = 500, maxDuration = 3, durationUnit = ChronoUnit.MINUTES)
    @CustomBackoff(ElasticBackoff.class)
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
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

package io.crosslink.key.service;

import io.crosslink.elastic.ElasticCallException;
import io.crosslink.key.client.ApiKeyInfo;
import io.crosslink.key.client.ElasticClient;
import io.crosslink.key.domain.Invalidation;
import io.crosslink.key.domain.KeySpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The key undo on R: every active key named {@code crosslink-<connectionId>} (whoever created it: the name holds
 * the connection id, and after compensation nothing of the connection may stay usable), plus the key on record,
 * is invalidated. It acts on what exists on R, so it also catches a key whose create raced with compensation or
 * whose answer was lost. Idempotent (already invalidated keys are fine), so {@link InvalidateKeysHandler} repeats it
 * after transient errors, in later runs of its work item.
 */
@ApplicationScoped
public class KeyInvalidator {
    private static final Logger LOG = Logger.getLogger(KeyInvalidator.class);

    private final ElasticClient elastic;

    public KeyInvalidator(ElasticClient elastic) {
        this.elastic = elastic;
    }

    /**
     * @param recordedActiveKeyIds the key ids key-service has on record as active (they are invalidated even if
     *                             the name search missed them)
     * @param invalidating         told the ids just before they are sent, so a caller whose invalidation fails
     *                             still knows which keys it was about
     */
    public Invalidation invalidate(String connectionId, String deploymentId, List<String> recordedActiveKeyIds,
            Consumer<List<String>> invalidating) {
        String name = KeySpec.keyName(connectionId);
        List<String> active = elastic.activeApiKeys(deploymentId, name).stream().map(ApiKeyInfo::id).toList();
        Set<String> ids = new LinkedHashSet<>(active);
        ids.addAll(recordedActiveKeyIds);
        if (ids.isEmpty()) {
            LOG.infof("connection %s: no active key %s on deployment %s, nothing to invalidate", connectionId, name,
                    deploymentId);
            return Invalidation.nothing();
        }
        invalidating.accept(List.copyOf(ids));
        List<String> invalidated = elastic.invalidateApiKeys(deploymentId, new ArrayList<>(ids));
        LOG.infof("connection %s: invalidated key(s) %s (%s) on deployment %s", connectionId, ids, name, deploymentId);
        return new Invalidation(new ArrayList<>(ids), !active.isEmpty() || !invalidated.isEmpty());
    }

    /**
     * The active keys named {@code crosslink-<connectionId>} on R, freshly read after a failed undo (what the failed
     * attempt's own lookup saw may be stale: its invalidation may have taken effect since). Empty when the read fails
     * too: whether a key is left is then only possible.
     */
    public Optional<List<String>> activeKeyIds(String connectionId, String deploymentId) {
        try {
            return Optional.of(elastic.activeApiKeys(deploymentId, KeySpec.keyName(connectionId)).stream()
                    .map(ApiKeyInfo::id).toList());
        } catch (ElasticCallException e) {
            LOG.infof("connection %s: the keys on deployment %s cannot be read: %s", connectionId, deploymentId,
                    e.getMessage());
            return Optional.empty();
        }
    }
}

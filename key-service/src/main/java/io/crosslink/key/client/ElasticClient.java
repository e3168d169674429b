package io.crosslink.key.client;

import java.util.List;

/**
 * The Elasticsearch security API calls key-service makes on a deployment, as the deployment's configured
 * user. Every failure is an {@link ElasticCallException} carrying Elastic's error type and reason, redacted;
 * a {@link TransientElasticCallException} when trying again may help.
 */
public interface ElasticClient {

    /** {@code POST /_security/cross_cluster/api_key}. */
    CreatedApiKey createCrossClusterApiKey(String deploymentId, CrossClusterApiKeyRequest request);

    /** {@code GET /_security/api_key?name=<name>&active_only=true}: the active keys with exactly this name. */
    List<ApiKeyInfo> activeApiKeys(String deploymentId, String name);

    /**
     * {@code DELETE /_security/api_key} with {@code {"ids":[...]}}; already invalidated or unknown keys are fine.
     * Returns the ids that were active and are invalidated now.
     */
    List<String> invalidateApiKeys(String deploymentId, List<String> ids);
}

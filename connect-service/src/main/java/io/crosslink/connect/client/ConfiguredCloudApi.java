package io.crosslink.connect.client;

import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.elastic.CloudApi;
import io.crosslink.elastic.CloudTarget;
import io.crosslink.elastic.ElasticAnswer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The Cloud API of a configured environment ({@code crosslink.environments.<name>}), through the one Elastic
 * client: its policy (timeouts, immediate re-sends of idempotent calls, {@code Retry-After}, redaction) applies, and
 * a transient failure reaches the caller's work item, which parks, instead of a worker waiting here.
 */
@ApplicationScoped
public class ConfiguredCloudApi {
    private final ConnectConfig config;
    private final CloudApi cloud;

    public ConfiguredCloudApi(ConnectConfig config, CloudApi cloud) {
        this.config = config;
        this.cloud = cloud;
    }

    /** {@code GET /api/v1/deployments/{id}}. */
    public ElasticAnswer deployment(ConnectConfig.Environment environment, String deploymentId) {
        return cloud.deployment(target(environment), deploymentId, false);
    }

    /** {@code GET /api/v1/account}: the account of the API key ({@code AccountResponse}, {@code id}). */
    public ElasticAnswer account(ConnectConfig.Environment environment) {
        return cloud.account(target(environment));
    }

    /** {@code GET /api/v1/deployments/{id}/certificate-authority}. */
    public ElasticAnswer certificateAuthority(ConnectConfig.Environment environment, String deploymentId) {
        return cloud.certificateAuthority(target(environment), deploymentId);
    }

    /** {@code GET .../elasticsearch/{refId}/remote-clusters}. */
    public ElasticAnswer remoteClusters(ConnectConfig.Environment environment, String deploymentId, String refId) {
        return cloud.remoteClusters(target(environment), deploymentId, refId);
    }

    /** {@code PUT .../remote-clusters}: the whole list, written under L's lock. */
    public ElasticAnswer putRemoteClusters(ConnectConfig.Environment environment, String deploymentId, String refId,
            String remoteResourcesJson) {
        return cloud.putRemoteClusters(target(environment), deploymentId, refId, remoteResourcesJson);
    }

    private CloudTarget target(ConnectConfig.Environment environment) {
        return CloudTarget.of(nameOf(environment), environment.url(), environment.apiKey(),
                environment.tlsConfigurationName());
    }

    /** The environment's configured name, for messages. */
    private String nameOf(ConnectConfig.Environment environment) {
        if (config != null) {
            for (Map.Entry<String, ConnectConfig.Environment> entry : config.environments().entrySet()) {
                if (entry.getValue() == environment) {
                    return entry.getKey();
                }
            }
        }
        return "at " + environment.url();
    }
}

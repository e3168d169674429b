package io.crosslink.trust.client;

import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.ElasticsearchApi;
import io.crosslink.elastic.ElasticsearchTarget;
import io.crosslink.events.StepFailure;
import io.crosslink.trust.config.TrustConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/**
 * A configured deployment's Elasticsearch ({@code crosslink.deployments.<id>}) as its user, through the one Elastic
 * client. Its call is idempotent (a PUT of the whole value), so the client's immediate re-sends apply; a transient
 * failure reaches the caller's work item, which parks.
 */
@ApplicationScoped
public class ConfiguredElasticsearch {
    private final TrustConfig config;
    private final ElasticsearchApi elasticsearch;

    public ConfiguredElasticsearch(TrustConfig config, ElasticsearchApi elasticsearch) {
        this.config = config;
        this.elasticsearch = elasticsearch;
    }

    /** {@code PUT /_cluster/settings}. */
    public ElasticAnswer putClusterSettings(String deploymentId, String settingsJson) {
        return elasticsearch.putClusterSettings(target(deploymentId), settingsJson);
    }

    /** The deployment's target; a final {@code deployment_not_configured} failure when it has no access configured. */
    ElasticsearchTarget target(String deploymentId) {
        TrustConfig.Deployment deployment = config.deployments().get(deploymentId);
        if (deployment == null) {
            throw ElasticCallException.of(new StepFailure("deployment_not_configured", "no Elasticsearch access is "
                    + "configured for deployment " + deploymentId + " (crosslink.deployments." + deploymentId
                    + ".elasticsearch-url, username, password)", null, false));
        }
        return new ElasticsearchTarget(deploymentId, URI.create(deployment.elasticsearchUrl()),
                deployment.username(), deployment.password(), deployment.tlsConfigurationName());
    }
}

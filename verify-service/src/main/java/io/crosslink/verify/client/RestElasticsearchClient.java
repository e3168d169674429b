package io.crosslink.verify.client;

import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.ElasticsearchApi;
import io.crosslink.elastic.ElasticsearchTarget;
import io.crosslink.events.StepFailure;
import io.crosslink.verify.config.DeploymentsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * {@link ElasticsearchClient} on the one Elastic client ({@code elastic-client}): a lost call that comes back
 * quickly is sent again at once there; everything else is retried by the verification's work item, parked between
 * attempts, so no worker sits in a backoff.
 */
@ApplicationScoped
public class RestElasticsearchClient implements ElasticsearchClient {
    private final DeploymentsConfig deployments;
    private final ElasticsearchApi elasticsearch;

    public RestElasticsearchClient(DeploymentsConfig deployments, ElasticsearchApi elasticsearch) {
        this.deployments = deployments;
        this.elasticsearch = elasticsearch;
    }

    @Override
    public ElasticAnswer resolveCluster(String deploymentId, String expression) {
        return elasticsearch.resolveCluster(target(deploymentId), expression, Optional.empty());
    }

    @Override
    public ElasticAnswer remoteInfo(String deploymentId) {
        return elasticsearch.remoteInfo(target(deploymentId));
    }

    @Override
    public ElasticAnswer search(String deploymentId, String index) {
        return elasticsearch.search(target(deploymentId), index, 0);
    }

    private ElasticsearchTarget target(String deploymentId) {
        DeploymentsConfig.DeploymentAccess access = deployments.byId().get(deploymentId);
        if (access == null) {
            throw ElasticCallException.of(new StepFailure("deployment_not_configured",
                    "verify-service has no Elasticsearch access for deployment " + deploymentId + " (crosslink.deployments."
                            + deploymentId + ".elasticsearch-url, username, password)", null, false));
        }
        return new ElasticsearchTarget(deploymentId, access.elasticsearchUrl(), access.username(), access.password(),
                access.tlsConfigurationName());
    }
}

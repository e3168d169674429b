package io.crosslink.verify.client;

import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.elastic.ElasticsearchApi;
import io.crosslink.elastic.ElasticVersion;
import io.crosslink.elastic.ElasticsearchTarget;
import io.crosslink.events.StepFailure;
import io.crosslink.verify.config.DeploymentsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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

    /**
     * How long {@code _resolve/cluster} waits for a remote before it answers it as not connected: without it, an
     * unreachable remote holds the call (and a worker) until the transport's connect timeout.
     */
    static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public ElasticAnswer resolveCluster(String deploymentId, String version, String expression) {
        return elasticsearch.resolveCluster(target(deploymentId), expression, resolveTimeout(version));
    }

    /** {@code timeout} came with 8.18; older versions refuse the parameter (400 unrecognized parameter). */
    static Optional<Duration> resolveTimeout(String version) {
        return ElasticVersion.atLeast(version, 8, 18) ? Optional.of(RESOLVE_TIMEOUT) : Optional.empty();
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

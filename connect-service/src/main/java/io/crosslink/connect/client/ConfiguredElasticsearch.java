package io.crosslink.connect.client;

import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticsearchApi;
import io.crosslink.elastic.ElasticsearchTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;

/**
 * A configured deployment's Elasticsearch ({@code crosslink.deployments.<id>}) as its user, through the one Elastic
 * client. Every call here is idempotent (a GET, a PUT of the whole value, a DELETE), so the client's immediate
 * re-sends apply to all; a transient failure reaches the caller's work item, which parks.
 */
@ApplicationScoped
public class ConfiguredElasticsearch {
    private final ConnectConfig config;
    private final ElasticsearchApi elasticsearch;

    public ConfiguredElasticsearch(ConnectConfig config, ElasticsearchApi elasticsearch) {
        this.config = config;
        this.elasticsearch = elasticsearch;
    }

    /** {@code PUT /_cluster/settings}. */
    public ElasticAnswer putClusterSettings(ConnectConfig.Deployment deployment, String settingsJson) {
        return elasticsearch.putClusterSettings(target(deployment), settingsJson);
    }

    /** {@code GET /_cluster/settings}: persistent and transient settings as set. */
    public ElasticAnswer clusterSettings(ConnectConfig.Deployment deployment) {
        return elasticsearch.clusterSettings(target(deployment));
    }

    /** {@code GET /_remote/info}: the remotes this node has set up, each with its mode and {@code connected} flag. */
    public ElasticAnswer remoteInfo(ConnectConfig.Deployment deployment) {
        return elasticsearch.remoteInfo(target(deployment));
    }

    /** {@code GET /_security/role/{name}}: 200 {@code {"<name>":{...}}}, or 404 {@code {}} when there is none. */
    public ElasticAnswer getRole(ConnectConfig.Deployment deployment, String name) {
        return elasticsearch.role(target(deployment), name);
    }

    /** {@code PUT /_security/role/{name}}: creates or replaces the role. */
    public ElasticAnswer putRole(ConnectConfig.Deployment deployment, String name, String roleJson) {
        return elasticsearch.putRole(target(deployment), name, roleJson);
    }

    /** {@code DELETE /_security/role/{name}}: 200 {@code {"found":true}}, 404 {@code {"found":false}}. */
    public ElasticAnswer deleteRole(ConnectConfig.Deployment deployment, String name) {
        return elasticsearch.deleteRole(target(deployment), name);
    }

    private ElasticsearchTarget target(ConnectConfig.Deployment deployment) {
        return new ElasticsearchTarget(idOf(deployment), URI.create(deployment.elasticsearchUrl()),
                deployment.username(), deployment.password(), deployment.tlsConfigurationName());
    }

    /** The deployment's configured id, for messages. */
    private String idOf(ConnectConfig.Deployment deployment) {
        for (Map.Entry<String, ConnectConfig.Deployment> entry : config.deployments().entrySet()) {
            if (entry.getValue() == deployment) {
                return entry.getKey();
            }
        }
        return "at " + deployment.elasticsearchUrl();
    }
}

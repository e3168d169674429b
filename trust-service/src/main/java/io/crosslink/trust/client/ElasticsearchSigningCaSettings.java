package io.crosslink.trust.client;

import io.crosslink.trust.domain.SigningCaList;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** {@link SigningCaSettings} on R's {@code PUT /_cluster/settings}. */
@ApplicationScoped
public class ElasticsearchSigningCaSettings implements SigningCaSettings {
    private final ConfiguredElasticsearch elasticsearch;

    public ElasticsearchSigningCaSettings(ConfiguredElasticsearch elasticsearch) {
        this.elasticsearch = elasticsearch;
    }

    @Override
    public void replace(String deploymentId, List<String> paths) {
        elasticsearch.putClusterSettings(deploymentId, SigningCaList.settingsBody(paths)).requireOk();
    }
}

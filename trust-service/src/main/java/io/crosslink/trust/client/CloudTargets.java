package io.crosslink.trust.client;

import io.crosslink.elastic.CloudTarget;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.events.StepFailure;
import io.crosslink.trust.config.TrustConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** The Cloud API of an environment, from {@code crosslink.environments.<name>.url|api-key|tls-configuration-name}. */
@ApplicationScoped
public class CloudTargets {
    private final TrustConfig config;

    public CloudTargets(TrustConfig config) {
        this.config = config;
    }

    public CloudTarget of(String environment) {
        TrustConfig.Environment configured = config.environments().get(environment);
        if (configured == null) {
            throw ElasticCallException.of(new StepFailure("environment_not_configured",
                    "no Cloud API is configured for environment [" + environment + "]", null, false));
        }
        return CloudTarget.of(environment, configured.url(), configured.apiKey(), configured.tlsConfigurationName());
    }
}

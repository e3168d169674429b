package io.crosslink.key.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What key-service needs to reach Elastic: per deployment a direct Elasticsearch URL and a user (creating a
 * cross-cluster API key needs a user; Elasticsearch refuses API-key callers), and the data key that seals
 * encoded keys for trust-service.
 */
@ConfigMapping(prefix = "crosslink")
public interface KeyServiceConfig {

    /** By deployment id: {@code crosslink.deployments.<deploymentId>.elasticsearch-url}, ... */
    Map<String, DeploymentAccess> deployments();

    Secrets secrets();

    Elastic elastic();

    interface DeploymentAccess {
        /** The deployment's Elasticsearch endpoint (Cloud's service_url); http or https. */
        URI elasticsearchUrl();

        String username();

        String password();
    }

    interface Secrets {
        /** Base64 of 32 random bytes, shared with trust-service. */
        String dataKey();
    }

    interface Elastic {
        @WithDefault("5s")
        Duration connectTimeout();

        /** One HTTP request; the fault-tolerance @Timeout bounds a whole attempt. */
        @WithDefault("15s")
        Duration requestTimeout();
    }
}

package io.crosslink.verify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Per local deployment, by id, its direct Elasticsearch URL and a user:
 * {@code crosslink.deployments.<deploymentId>.elasticsearch-url|username|password}. The same keys as in the
 * other services.
 */
@ConfigMapping(prefix = "crosslink.deployments")
public interface DeploymentsConfig {

    @WithParentName
    Map<String, DeploymentAccess> byId();

    interface DeploymentAccess {
        /** The deployment's Elasticsearch endpoint (Cloud's service_url); http or https. */
        URI elasticsearchUrl();

        String username();

        String password();

        /**
         * A TLS configuration of the Quarkus TLS registry ({@code quarkus.tls.<name>.*}) for an endpoint whose
         * certificate is from its own CA; absent: the JVM's trust store.
         */
        Optional<String> tlsConfigurationName();
    }
}

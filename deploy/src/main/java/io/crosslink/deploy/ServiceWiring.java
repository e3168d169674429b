package io.crosslink.deploy;

import io.crosslink.infra.PostgresServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the services are wired to one stack: Kafka, PostgreSQL (a database per service), cloud-sim's Cloud
 * API and the direct Elasticsearch access of every deployment it plays, and the data key that key-service
 * and trust-service share. Used by the local run and by the end-to-end tests, so both run the same wiring.
 */
public record ServiceWiring(String kafkaBootstrapServers, PostgresServer postgres, String cloudApiUrl,
        List<SimDeployment> deployments, String dataKey) {

    /** The API key of each cloud-sim environment (cloud-sim's development defaults). */
    public static final Map<String, String> DEV_API_KEYS = Map.of("ece", "ece-dev-api-key", "ess", "ess-dev-api-key");

    public ServiceWiring {
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(cloudApiUrl, "cloudApiUrl");
        deployments = List.copyOf(deployments);
        Objects.requireNonNull(dataKey, "dataKey");
    }

    /** The configuration of one service (secrets included: it goes to an owner-only file, never a command line). */
    public Map<String, String> configFor(CrosslinkService service) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafkaBootstrapServers);
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(service.database()));
        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", postgres.password());
        if (service.needsEnvironments()) {
            deployments.stream().map(SimDeployment::environment).distinct().sorted().forEach(environment -> {
                String apiKey = DEV_API_KEYS.get(environment);
                if (apiKey == null) {
                    throw new IllegalStateException("no API key known for cloud-sim environment " + environment);
                }
                config.put("crosslink.environments." + environment + ".url", cloudApiUrl);
                config.put("crosslink.environments." + environment + ".api-key", apiKey);
            });
        }
        if (service.needsDeployments()) {
            for (SimDeployment deployment : deployments) {
                String prefix = "crosslink.deployments." + deployment.id() + ".";
                config.put(prefix + "elasticsearch-url", deployment.serviceUrl());
                config.put(prefix + "username", deployment.username());
                config.put(prefix + "password", deployment.password());
            }
        }
        if (service.needsDataKey()) {
            config.put("crosslink.secrets.data-key", dataKey);
        }
        return config;
    }
}

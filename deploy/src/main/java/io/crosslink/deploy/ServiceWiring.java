package io.crosslink.deploy;

import io.crosslink.infra.PostgresServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the services are wired to one stack: Kafka, PostgreSQL (a database per service), cloud-sim's Cloud
 * API (for connect-service with each environment's kind) and the direct Elasticsearch access of every deployment it
 * plays, and the data key that key-service
 * and trust-service share, and the saga's timings. Used by the local run and by the end-to-end tests, so both run
 * the same wiring (the tests with shorter deadlines).
 */
public record ServiceWiring(String kafkaBootstrapServers, PostgresServer postgres, String cloudApiUrl,
        List<SimDeployment> deployments, String dataKey, SagaTimings timings) {

    /** The API key of each cloud-sim environment (cloud-sim's development defaults). */
    public static final Map<String, String> DEV_API_KEYS = Map.of("ece", "ece-dev-api-key", "ess", "ess-dev-api-key");

    public ServiceWiring {
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(cloudApiUrl, "cloudApiUrl");
        deployments = List.copyOf(deployments);
        Objects.requireNonNull(dataKey, "dataKey");
        Objects.requireNonNull(timings, "timings");
    }

    /** With the services' default timings (the local run). */
    public ServiceWiring(String kafkaBootstrapServers, PostgresServer postgres, String cloudApiUrl,
            List<SimDeployment> deployments, String dataKey) {
        this(kafkaBootstrapServers, postgres, cloudApiUrl, deployments, dataKey, SagaTimings.SERVICE_DEFAULTS);
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
        if (service == CrosslinkService.CONNECT) {
            // The certificate model needs the kind of each environment (ECE installation or Elastic Cloud
            // organization): where the account id comes from and the default transport port.
            environmentKinds().forEach((environment, kind) ->
                    config.put("crosslink.environments." + environment + ".kind", kind));
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
        if (timings.kafkaSessionTimeout() != null) {
            // kafka.* goes to every channel of the service (Quarkus' default Kafka configuration).
            config.put("kafka.session.timeout.ms", Long.toString(timings.kafkaSessionTimeout().toMillis()));
        }
        if (service == CrosslinkService.CONNECT && timings.sagaDeadline() != null) {
            config.put("crosslink.saga.deadline", SagaTimings.quarkusDuration(timings.sagaDeadline()));
        }
        if (service == CrosslinkService.VERIFY && timings.verifyDeadline() != null) {
            config.put("crosslink.verify.deadline", SagaTimings.quarkusDuration(timings.verifyDeadline()));
        }
        return config;
    }

    /** {@code ECE} or {@code ESS} per environment, as cloud-sim reports it (deployments without one are skipped). */
    Map<String, String> environmentKinds() {
        Map<String, String> kinds = new java.util.TreeMap<>();
        for (SimDeployment deployment : deployments) {
            if (deployment.environmentKind() == null) {
                continue;
            }
            String earlier = kinds.putIfAbsent(deployment.environment(), deployment.environmentKind());
            if (earlier != null && !earlier.equals(deployment.environmentKind())) {
                throw new IllegalStateException("cloud-sim environment " + deployment.environment() + " has two kinds: "
                        + earlier + " and " + deployment.environmentKind());
            }
        }
        return kinds;
    }
}

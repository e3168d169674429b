package io.crosslink.deploy;

import io.crosslink.infra.PostgresServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How the services are wired to one stack: Kafka, PostgreSQL (a database per service), cloud-sim's Cloud
 * API (for connect-service with each environment's kind) and the direct Elasticsearch access of every deployment it
 * plays, and the data keys that key-service
 * and trust-service share, and the saga's timings. Used by the local run and by the end-to-end tests, so both run
 * the same wiring (the tests with shorter deadlines). The services run their production profile, in which no secret
 * has a default: every secret they need (database password, Cloud API keys, Elasticsearch passwords, data keys) is
 * set here, or they refuse to start naming it.
 *
 * <p>{@code dataKeys} is the keyring as the setting {@code crosslink.secrets.data-keys} takes it: base64 data keys,
 * comma-separated, the sealing key first (one key is a ring of one).
 */
public record ServiceWiring(String kafkaBootstrapServers, PostgresServer postgres, String cloudApiUrl,
        List<SimDeployment> deployments, String dataKeys, SagaTimings timings, Map<String, String> tokenVerification,
        Map<String, String> extraConfig) {

    /** The API key of each cloud-sim environment (cloud-sim's development defaults). */
    public static final Map<String, String> DEV_API_KEYS = Map.of("ece", "ece-dev-api-key", "ess", "ess-dev-api-key");
    static final String COOPERATIVE_STICKY_ASSIGNOR = "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";

    public ServiceWiring {
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(cloudApiUrl, "cloudApiUrl");
        deployments = List.copyOf(deployments);
        Objects.requireNonNull(dataKeys, "dataKeys");
        Objects.requireNonNull(timings, "timings");
        tokenVerification = Map.copyOf(tokenVerification);
        extraConfig = Map.copyOf(extraConfig);
    }

    /** Without a token issuer: connect-service then refuses to start (a stack must issue tokens, see {@link LocalTokens}). */
    public ServiceWiring(String kafkaBootstrapServers, PostgresServer postgres, String cloudApiUrl,
            List<SimDeployment> deployments, String dataKeys, SagaTimings timings) {
        this(kafkaBootstrapServers, postgres, cloudApiUrl, deployments, dataKeys, timings, Map.of(), Map.of());
    }

    /** The same wiring, with connect-service verifying bearer tokens of {@code tokens}' issuer. */
    public ServiceWiring verifyingTokensOf(LocalTokens tokens) {
        return new ServiceWiring(kafkaBootstrapServers, postgres, cloudApiUrl, deployments, dataKeys, timings,
                tokens.verification(), extraConfig);
    }

    /** The same wiring, with {@code config} added to every service's (e.g. the e2e's trace export settings). */
    public ServiceWiring withConfig(Map<String, String> config) {
        Map<String, String> all = new LinkedHashMap<>(extraConfig);
        all.putAll(config);
        return new ServiceWiring(kafkaBootstrapServers, postgres, cloudApiUrl, deployments, dataKeys, timings,
                tokenVerification, all);
    }

    /** The same wiring with another keyring ({@code crosslink.secrets.data-keys}): a rotation step. */
    public ServiceWiring withDataKeys(String dataKeys) {
        return new ServiceWiring(kafkaBootstrapServers, postgres, cloudApiUrl, deployments, dataKeys, timings,
                tokenVerification, extraConfig);
    }

    /** With the services' default timings (the local run). */
    public ServiceWiring(String kafkaBootstrapServers, PostgresServer postgres, String cloudApiUrl,
            List<SimDeployment> deployments, String dataKeys) {
        this(kafkaBootstrapServers, postgres, cloudApiUrl, deployments, dataKeys, SagaTimings.SERVICE_DEFAULTS);
    }

    /** The configuration of one service's first instance (secrets included: it goes to an owner-only file, never a command line). */
    public Map<String, String> configFor(CrosslinkService service) {
        return configFor(service, 0);
    }

    /**
     * The configuration of one service's {@code instance}-th instance (0 = the first): the same for every instance (one
     * consumer group, one database) but for the Kafka clients' id prefix, so the group shows which instance holds which
     * partitions.
     */
    public Map<String, String> configFor(CrosslinkService service, int instance) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafkaBootstrapServers);
        config.put("kafka.client-id-prefix", clientIdPrefix(service, instance));
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(service.database()));
        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", postgres.password());
        if (service.needsEnvironments()) {
            // Every cloud-sim environment, used by a deployment or not: the services define ece and ess, and each API
            // key is required (no default outside dev mode and tests).
            Stream.concat(DEV_API_KEYS.keySet().stream(), deployments.stream().map(SimDeployment::environment))
                    .distinct().sorted().forEach(environment -> {
                String apiKey = DEV_API_KEYS.get(environment);
                if (apiKey == null) {
                    throw new IllegalStateException("no API key known for cloud-sim environment " + environment);
                }
                config.put("crosslink.environments." + environment + ".url", cloudApiUrl);
                config.put("crosslink.environments." + environment + ".api-key", apiKey);
            });
        }
        if (service == CrosslinkService.CONNECT) {
            // Bearer tokens of the stack's issuer (issuer, audience, public key file) and the access policy of its
            // callers' teams (LocalTokens.DEMO_POLICY).
            config.putAll(tokenVerification);
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
            config.put("crosslink.secrets.data-keys", dataKeys);
        }
        // kafka.* goes to every channel of the service (Quarkus' default Kafka configuration).
        config.put("kafka.group.protocol", timings.groupProtocol().option());
        if (timings.groupProtocol() == KafkaGroupProtocol.CLASSIC_COOPERATIVE_STICKY) {
            config.put("kafka.partition.assignment.strategy", COOPERATIVE_STICKY_ASSIGNOR);
            if (timings.kafkaSessionTimeout() != null) {
                config.put("kafka.session.timeout.ms", Long.toString(timings.kafkaSessionTimeout().toMillis()));
                config.put("kafka.heartbeat.interval.ms", Long.toString(timings.kafkaHeartbeatInterval().toMillis()));
            }
        }
        // The consumer protocol refuses both client-side: its session is a group config (consumerGroupConfigs()).
        if (service == CrosslinkService.CONNECT && timings.sagaDeadline() != null) {
            config.put("crosslink.saga.deadline", SagaTimings.quarkusDuration(timings.sagaDeadline()));
        }
        if (timings.undoDeadline() != null) {
            // Every service: connect-service ends the run there, the others retry their undo until shortly before.
            config.put("crosslink.saga.undo-deadline", SagaTimings.quarkusDuration(timings.undoDeadline()));
        }
        if (service == CrosslinkService.VERIFY && timings.verifyDeadline() != null) {
            config.put("crosslink.verify.deadline", SagaTimings.quarkusDuration(timings.verifyDeadline()));
        }
        config.putAll(extraConfig);
        return config;
    }

    /**
     * How the Kafka client ids of one instance begin (SmallRye's {@code client-id-prefix}, every channel): its name and a
     * dot, e.g. {@code key-service-2.}, so no instance's prefix is the start of another's.
     */
    public static String clientIdPrefix(CrosslinkService service, int instance) {
        return service.instanceName(instance) + ".";
    }

    /**
     * What the stack must set on the broker before the services start, per consumer group
     * ({@code Admin.incrementalAlterConfigs} of a {@code GROUP} resource): with the consumer protocol and a session
     * timeout, each service's {@code consumer.session.timeout.ms} and {@code consumer.heartbeat.interval.ms} (the
     * client may not set them). The broker refuses values below its {@code group.consumer.min.session.timeout.ms} and
     * {@code group.consumer.min.heartbeat.interval.ms} (45 s and 5 s by default). Empty otherwise.
     */
    public Map<String, Map<String, String>> consumerGroupConfigs() {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        if (timings.groupProtocol() == KafkaGroupProtocol.CONSUMER && timings.kafkaSessionTimeout() != null) {
            for (CrosslinkService service : CrosslinkService.values()) {
                groups.put(service.consumerGroup(), Map.of(
                        "consumer.session.timeout.ms", Long.toString(timings.kafkaSessionTimeout().toMillis()),
                        "consumer.heartbeat.interval.ms", Long.toString(timings.kafkaHeartbeatInterval().toMillis())));
            }
        }
        return groups;
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

package io.crosslink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.infra.CrosslinkPaths;
import io.crosslink.infra.PostgresServer;
import io.crosslink.infra.ProcessReaper;
import io.crosslink.runtime.secret.SecretBox;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local run, the e2e stack and the bench start the services' production jars, in which no secret has a default:
 * the wiring must give each service every secret it needs. Checked against each service's own application.properties
 * in the {@code prod} profile, with the wiring's config file above it as the launcher writes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceWiringTest {
    private PostgresServer postgres;
    private ServiceWiring wiring;
    private final String dataKeys = SecretBox.newDataKey() + "," + SecretBox.newDataKey();

    @BeforeAll
    void wire(@TempDir Path dir) throws Exception {
        postgres = PostgresServer.start(dir.resolve("postgres"), 0, List.of("connect", "key", "trust", "verify"), false,
                ProcessReaper.forStack("deploy-wiring-test"));
        List<SimDeployment> deployments = List.of(
                new SimDeployment("local", "c0ffee00a1b2c3d4e5f60718293a4b5c", "local", "ece", "ECE", "main-elasticsearch",
                        "c1", "127.0.0.1", "http://127.0.0.1:9243", "http://127.0.0.1:9200", "elastic", "local-password", "8.19.21"),
                new SimDeployment("remote", "0b5e55ed12345678abcdef0123456789", "remote", "ess", "ESS", "main-elasticsearch",
                        "c2", "127.0.0.2", "http://127.0.0.2:9243", "http://127.0.0.2:9200", "elastic", "remote-password", "8.19.21"));
        wiring = new ServiceWiring("127.0.0.1:9092", postgres, "http://127.0.0.1:8090", deployments, dataKeys)
                .verifyingTokensOf(LocalTokens.issue(dir.resolve("tokens"), Duration.ofHours(1)));
    }

    @AfterAll
    void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void trustServiceReachesTheDeploymentsElasticsearch_forStrongIdentity() {
        assertTrue(CrosslinkService.TRUST.needsDeployments());
    }

    @Test
    void everyServiceGetsEverySecretItsProductionProfileLeavesOpen() {
        for (CrosslinkService service : CrosslinkService.values()) {
            SmallRyeConfig config = productionConfig(service);
            List<String> unresolved = new ArrayList<>();
            for (String name : config.getPropertyNames()) {
                ConfigValue value = config.getConfigValue(name);
                if (value.getRawValue() != null && value.getValue() == null) {
                    unresolved.add(name + "=" + value.getRawValue()); // an expression without a value, e.g. ${KEY_DB_PASSWORD}
                }
            }
            assertTrue(unresolved.isEmpty(), service.module() + ": " + unresolved);
            assertEquals(postgres.password(), config.getValue("quarkus.datasource.password", String.class),
                    service.module());
            if (service.needsDataKey()) {
                assertEquals(dataKeys, config.getValue("crosslink.secrets.data-keys", String.class), service.module());
            }
            if (service.needsDeployments()) {
                assertEquals("remote-password", config.getValue(
                        "crosslink.deployments.0b5e55ed12345678abcdef0123456789.password", String.class),
                        service.module());
            }
            if (service.needsEnvironments()) {
                assertEquals("ece-dev-api-key", config.getValue("crosslink.environments.ece.api-key", String.class));
                assertEquals("ess-dev-api-key", config.getValue("crosslink.environments.ess.api-key", String.class));
            }
        }
    }

    @Test
    void withoutTheWiringTheProductionProfileHasNoSecret() {
        // The same check fails for each service on its own: what the wiring closes is really open.
        for (CrosslinkService service : CrosslinkService.values()) {
            SmallRyeConfig bare = new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors()
                    .withSources(applicationProperties(service)).build();
            ConfigValue password = bare.getConfigValue("quarkus.datasource.password");
            assertTrue(password.getValue() == null && password.getRawValue().startsWith("${"),
                    service.module() + " has a production default for its database password: " + password.getRawValue());
        }
    }

    private SmallRyeConfig productionConfig(CrosslinkService service) {
        return new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors()
                // Quarkus itself defines quarkus.uuid (a new one per start; connect-service's live-feed group uses it).
                .withDefaultValue("quarkus.uuid", UUID.randomUUID().toString())
                .withSources(applicationProperties(service))
                // The launcher's config file (quarkus.config.locations) comes before application.properties.
                .withSources(new PropertiesConfigSource(wiring.configFor(service), "wiring of " + service.module(), 260))
                .build();
    }

    private static PropertiesConfigSource applicationProperties(CrosslinkService service) {
        Path file = CrosslinkPaths.root().resolve(service.module()).resolve("src/main/resources/application.properties");
        try {
            return new PropertiesConfigSource(file.toUri().toURL(), 250);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

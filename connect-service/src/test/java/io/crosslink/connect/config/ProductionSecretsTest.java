package io.crosslink.connect.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.runtime.secret.DatabaseSecret;
import io.crosslink.testsupport.ProductionConfig;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * connect-service's secrets (database password, Cloud API keys, Elasticsearch passwords) have no production default:
 * started without them, it refuses, naming each; they come from the environment or from files named like the
 * variables. The local run's demo deployment exists in dev mode only.
 */
class ProductionSecretsTest {

    @Test
    void withoutSecretsTheStartIsRefusedNamingEachSettingAndVariable() {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> ProductionConfig.of(Map.of(), ConnectConfig.class, DatabaseSecret.class));

        String message = refused.getMessage();
        assertTrue(message.contains("Could not expand value CONNECT_DB_PASSWORD in property quarkus.datasource.password"),
                message);
        assertTrue(message.contains("Could not expand value CROSSLINK_ECE_API_KEY in property crosslink.environments.ece.api-key"),
                message);
        assertTrue(message.contains("Could not expand value CROSSLINK_ESS_API_KEY in property crosslink.environments.ess.api-key"),
                message);
    }

    @Test
    void fromTheEnvironmentWithNoDemoDeployment() {
        SmallRyeConfig config = ProductionConfig.of(Map.of("CONNECT_DB_PASSWORD", "db-from-env",
                "CROSSLINK_ECE_API_KEY", "ece-from-env", "CROSSLINK_ESS_API_KEY", "ess-from-env"), DatabaseSecret.class);

        assertEquals("db-from-env", config.getConfigMapping(DatabaseSecret.class).password());
        assertEquals("ece-from-env", config.getValue("crosslink.environments.ece.api-key", String.class));
        assertEquals("ess-from-env", config.getValue("crosslink.environments.ess.api-key", String.class));
        assertFalse(config.getOptionalValue("crosslink.deployments.c0ffee00a1b2c3d4e5f60718293a4b5c.password", String.class)
                .isPresent(), "the local run's demo deployment (and its password 'unset') is in production");
    }

    @Test
    void fromFilesNamedLikeTheVariables(@TempDir Path secrets) throws Exception {
        Files.writeString(secrets.resolve("CONNECT_DB_PASSWORD"), "db-from-file\n");
        Files.writeString(secrets.resolve("CROSSLINK_ECE_API_KEY"), "ece-from-file\n");
        Files.writeString(secrets.resolve("CROSSLINK_ESS_API_KEY"), "ess-from-file\n");
        SmallRyeConfig config = ProductionConfig.of(Map.of("CROSSLINK_SECRETS_DIR", secrets.toString()), DatabaseSecret.class);

        assertEquals("db-from-file", config.getConfigMapping(DatabaseSecret.class).password());
        assertEquals("ece-from-file", config.getValue("crosslink.environments.ece.api-key", String.class));
        assertEquals("ess-from-file", config.getValue("crosslink.environments.ess.api-key", String.class));
    }
}

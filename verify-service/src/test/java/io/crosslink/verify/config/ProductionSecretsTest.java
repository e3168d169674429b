package io.crosslink.verify.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * verify-service's secrets have no production default: without its database password it refuses to start, naming it;
 * the password of each deployment it reads has no default either. They come from the environment or from files.
 */
class ProductionSecretsTest {

    @Test
    void withoutTheDatabasePasswordTheStartIsRefusedNamingTheSettingAndVariable() {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> ProductionConfig.of(Map.of(), VerifyConfig.class, DeploymentsConfig.class, DatabaseSecret.class));

        assertTrue(refused.getMessage().contains(
                "Could not expand value VERIFY_DB_PASSWORD in property quarkus.datasource.password"), refused.getMessage());
    }

    @Test
    void aDeploymentWithoutItsPasswordIsRefusedNamingIt() {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> ProductionConfig.of(Map.of("VERIFY_DB_PASSWORD", "db",
                        "crosslink.deployments.abc.elasticsearch-url", "https://abc.example:9243",
                        "crosslink.deployments.abc.username", "crosslink"), DeploymentsConfig.class));

        assertTrue(refused.getMessage().contains("crosslink.deployments.abc.password"), refused.getMessage());
    }

    @Test
    void fromTheEnvironmentOrFromFiles(@TempDir Path secrets) throws Exception {
        assertEquals("db-from-env", ProductionConfig.of(Map.of("VERIFY_DB_PASSWORD", "db-from-env"), DatabaseSecret.class)
                .getConfigMapping(DatabaseSecret.class).password());

        Files.writeString(secrets.resolve("VERIFY_DB_PASSWORD"), "db-from-file\n");
        SmallRyeConfig config = ProductionConfig.of(Map.of("CROSSLINK_SECRETS_DIR", secrets.toString()), DatabaseSecret.class);
        assertEquals("db-from-file", config.getConfigMapping(DatabaseSecret.class).password());
    }
}

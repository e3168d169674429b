package io.crosslink.trust.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.runtime.secret.DatabaseSecret;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.testsupport.ProductionConfig;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * trust-service's secrets (database password, Cloud API keys, data keys) have no production default: started without
 * them, it refuses, naming each; they come from the environment or from files named like the variables.
 */
class ProductionSecretsTest {
    private static final String K1 = SecretBox.newDataKey();

    @Test
    void withoutSecretsTheStartIsRefusedNamingEachSettingAndVariable() {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> ProductionConfig.of(Map.of(), TrustConfig.class, DatabaseSecret.class));

        String message = refused.getMessage();
        assertTrue(message.contains("Could not expand value TRUST_DB_PASSWORD in property quarkus.datasource.password"), message);
        assertTrue(message.contains("Could not expand value CROSSLINK_ECE_API_KEY in property crosslink.environments.ece.api-key"),
                message);
        assertTrue(message.contains("Could not expand value CROSSLINK_ESS_API_KEY in property crosslink.environments.ess.api-key"),
                message);
        assertTrue(message.contains("crosslink.secrets.data-keys is required"), message);
        assertTrue(!message.contains("ece-dev-api-key") && !message.contains("ess-dev-api-key"), message);
    }

    @Test
    void fromTheEnvironment() {
        SmallRyeConfig config = ProductionConfig.of(Map.of("TRUST_DB_PASSWORD", "db-from-env",
                "CROSSLINK_ECE_API_KEY", "ece-from-env", "CROSSLINK_ESS_API_KEY", "ess-from-env",
                "CROSSLINK_SECRETS_DATA_KEYS", K1), TrustConfig.class, DatabaseSecret.class);

        TrustConfig trust = config.getConfigMapping(TrustConfig.class);
        assertEquals("db-from-env", config.getConfigMapping(DatabaseSecret.class).password());
        assertEquals("ece-from-env", trust.environments().get("ece").apiKey());
        assertEquals("ess-from-env", trust.environments().get("ess").apiKey());
        assertEquals(List.of(K1), trust.secrets().dataKeys());
    }

    @Test
    void fromFilesNamedLikeTheVariables(@TempDir Path secrets) throws Exception {
        Files.writeString(secrets.resolve("TRUST_DB_PASSWORD"), "db-from-file\n");
        Files.writeString(secrets.resolve("CROSSLINK_ECE_API_KEY"), "ece-from-file\n");
        Files.writeString(secrets.resolve("CROSSLINK_ESS_API_KEY"), "ess-from-file\n");
        Files.writeString(secrets.resolve("CROSSLINK_SECRETS_DATA_KEYS"), K1 + "\n");
        SmallRyeConfig config = ProductionConfig.of(Map.of("CROSSLINK_SECRETS_DIR", secrets.toString()), TrustConfig.class,
                DatabaseSecret.class);

        TrustConfig trust = config.getConfigMapping(TrustConfig.class);
        assertEquals("db-from-file", config.getConfigMapping(DatabaseSecret.class).password());
        assertEquals("ece-from-file", trust.environments().get("ece").apiKey());
        assertEquals("ess-from-file", trust.environments().get("ess").apiKey());
        assertEquals(List.of(K1), trust.secrets().dataKeys());
    }
}

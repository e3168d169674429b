package io.crosslink.key.config;

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
 * key-service's secrets have no production default: started without them, it refuses, naming each; they come from
 * the environment or from files, one per secret, named like its environment variable or its setting.
 */
class ProductionSecretsTest {
    private static final String K1 = SecretBox.newDataKey();
    private static final String K2 = SecretBox.newDataKey();

    @Test
    void withoutSecretsTheStartIsRefusedNamingEachSettingAndVariable() {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> ProductionConfig.of(Map.of(), KeyServiceConfig.class, DatabaseSecret.class));

        // What the jar prints, started with neither (SRCFG00011 / SRCFG00014).
        assertTrue(refused.getMessage().contains("Could not expand value KEY_DB_PASSWORD in property quarkus.datasource.password"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("crosslink.secrets.data-keys is required"), refused.getMessage());
    }

    @Test
    void fromTheEnvironment() {
        SmallRyeConfig config = ProductionConfig.of(Map.of("KEY_DB_PASSWORD", "from-env",
                "CROSSLINK_SECRETS_DATA_KEYS", K2 + "," + K1), KeyServiceConfig.class, DatabaseSecret.class);

        assertEquals("from-env", config.getConfigMapping(DatabaseSecret.class).password());
        assertEquals(List.of(K2, K1), config.getConfigMapping(KeyServiceConfig.class).secrets().dataKeys());
    }

    @Test
    void fromFilesNamedLikeTheVariables(@TempDir Path secrets) throws Exception {
        // A mounted Kubernetes Secret: one file per key, a trailing newline as editors leave it.
        Files.writeString(secrets.resolve("KEY_DB_PASSWORD"), "from-file\n");
        Files.writeString(secrets.resolve("CROSSLINK_SECRETS_DATA_KEYS"), K1 + "\n");
        SmallRyeConfig config = ProductionConfig.of(Map.of("CROSSLINK_SECRETS_DIR", secrets.toString()),
                KeyServiceConfig.class, DatabaseSecret.class);

        assertEquals("from-file", config.getConfigMapping(DatabaseSecret.class).password());
        assertEquals(List.of(K1), config.getConfigMapping(KeyServiceConfig.class).secrets().dataKeys());
        assertEquals(SecretBox.fromBase64(K1).keyId(),
                SecretBox.keyring(config.getConfigMapping(KeyServiceConfig.class).secrets().dataKeys()).keyId());
    }

    @Test
    void aFileNamedLikeTheSettingWinsOverApplicationProperties(@TempDir Path secrets) throws Exception {
        Files.writeString(secrets.resolve("quarkus.datasource.password"), "named-like-the-setting");
        Files.writeString(secrets.resolve("crosslink.secrets.data-keys"), K2 + "," + K1);
        SmallRyeConfig config = ProductionConfig.of(Map.of("CROSSLINK_SECRETS_DIR", secrets.toString()),
                KeyServiceConfig.class, DatabaseSecret.class);

        assertEquals("named-like-the-setting", config.getConfigMapping(DatabaseSecret.class).password());
        assertEquals(List.of(K2, K1), config.getConfigMapping(KeyServiceConfig.class).secrets().dataKeys());
    }
}

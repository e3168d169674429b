package io.crosslink.runtime.secret;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.source.file.FileSystemConfigSource;
import java.io.File;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Secrets from files, for every service: the directory {@code crosslink.secrets.dir} (env {@code CROSSLINK_SECRETS_DIR}),
 * e.g. a mounted Kubernetes Secret, becomes a config source (SmallRye's file-system source: one file per setting, its
 * name the key, its content the value, a trailing newline dropped). A file may be named like the setting
 * ({@code crosslink.secrets.data-keys}, or {@code CROSSLINK_SECRETS_DATA_KEYS}) or like the variable a setting expands
 * ({@code KEY_DB_PASSWORD} for {@code quarkus.datasource.password=${KEY_DB_PASSWORD}}). Its ordinal (270) puts it above
 * application.properties (250) and the local run's config file, below the environment (300) and system properties.
 *
 * <p>Without the setting there is no such source. Set it only where the service runs, never for a build: Quarkus
 * records into the jar what its config sources hold at build time. Registered through
 * {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}.
 */
public class SecretFiles implements ConfigSourceFactory {
    /** The setting naming the directory. */
    public static final String DIRECTORY = "crosslink.secrets.dir";
    public static final int ORDINAL = 270;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue directory = context.getValue(DIRECTORY);
        if (directory == null || directory.getValue() == null || directory.getValue().isBlank()) {
            return List.of();
        }
        File dir = new File(directory.getValue().trim());
        if (!dir.isDirectory()) {
            // A secret the service needs is then missing, and the start fails naming it; say why here.
            throw new IllegalStateException(DIRECTORY + " names " + dir + ", which is not a directory");
        }
        return List.of(new FileSystemConfigSource(dir, ORDINAL));
    }
}

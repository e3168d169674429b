package io.crosslink.testsupport;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The configuration a service's jar reads in production, built the way it reads it, without starting it: the
 * service's own {@code src/main/resources/application.properties} (the module's, whatever a test adds) in the
 * {@code prod} profile, the given environment variables, and the config sources discovered on the class path (among
 * them saga-runtime's {@code SecretFiles}: secrets from the files of {@code CROSSLINK_SECRETS_DIR}). For the checks that no secret has
 * a production default: {@link SmallRyeConfigBuilder#withMapping} validates a mapping when the config is built, as
 * Quarkus does at start, and reading a property whose {@code ${VARIABLE}} has no value fails naming both.
 */
public final class ProductionConfig {
    private static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");

    private ProductionConfig() {
    }

    /** Builds it; a mapping with a missing or unexpandable setting throws {@code ConfigValidationException}. */
    public static SmallRyeConfig of(Map<String, String> environment, Class<?>... mappings) {
        if (!Files.isRegularFile(APPLICATION_PROPERTIES)) {
            throw new IllegalStateException(APPLICATION_PROPERTIES.toAbsolutePath() + " is missing: run from the module");
        }
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withProfile("prod")
                .addDefaultInterceptors()
                .addDiscoveredSources()
                // Quarkus' own form of durations (500ms, 60s) besides ISO-8601.
                .withConverter(Duration.class, 200, new DurationConverter())
                // As in Quarkus: a mapping does not claim every key under its prefix (quarkus.datasource.* is Quarkus').
                .withValidateUnknown(false)
                .withSources(new EnvConfigSource(environment, EnvConfigSource.ORDINAL));
        try {
            builder.withSources(new PropertiesConfigSource(APPLICATION_PROPERTIES.toUri().toURL(), 250));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Class<?> mapping : mappings) {
            builder.withMapping(mapping);
        }
        return builder.build();
    }
}

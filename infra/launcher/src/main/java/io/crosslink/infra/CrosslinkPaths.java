package io.crosslink.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** Where the build put the infrastructure the launchers run (broker classpath, Elasticsearch home). */
public final class CrosslinkPaths {
    private CrosslinkPaths() {
    }

    /**
     * The checkout's root: system property {@code crosslink.root} (set by the build for tests), else the
     * environment variable {@code CROSSLINK_ROOT}, else the nearest parent of the working directory that
     * holds {@code infra/kafka-broker}.
     */
    public static Path root() {
        String configured = System.getProperty("crosslink.root", System.getenv("CROSSLINK_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra/kafka-broker"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Crosslink checkout: set -Dcrosslink.root or CROSSLINK_ROOT");
    }

    /** The broker's classpath folder, filled by the infra/kafka-broker build. */
    public static Path kafkaBrokerLib() {
        return built(root().resolve("infra/kafka-broker/target/broker-lib"), "infra/kafka-broker");
    }

    /** The Elasticsearch home with Crosslink's analysis plugin installed, built by infra/elasticsearch. */
    public static Path elasticsearchHome(String version) {
        return built(root().resolve("infra/elasticsearch/target/elasticsearch-" + version), "infra/elasticsearch");
    }

    /**
     * The Elasticsearch version matrix pinned in infra/elasticsearch's pom (default first, then the others in the
     * pom's order), from the {@code elasticsearch-versions.properties} that every build of that module writes.
     */
    public static ElasticsearchVersions elasticsearchVersions() {
        Path file = built(root().resolve("infra/elasticsearch/target"), "infra/elasticsearch")
                .resolve("elasticsearch-versions.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is unreadable: build it first (./mvnw -pl infra/elasticsearch package)", e);
        }
        String defaultVersion = properties.getProperty("default", "").trim();
        List<String> matrix = Arrays.stream(properties.getProperty("matrix", "").split(","))
                .map(String::trim).filter(v -> !v.isEmpty()).distinct().toList();
        if (defaultVersion.isEmpty() || !matrix.contains(defaultVersion)) {
            throw new IllegalStateException(file + " names no default version in its matrix: " + properties);
        }
        return new ElasticsearchVersions(defaultVersion, matrix);
    }

    /** {@code defaultVersion} is built by every build; the others of {@code matrix} unless {@code -Des.matrix.skip}. */
    public record ElasticsearchVersions(String defaultVersion, List<String> matrix) {
        /**
         * A version by its place in the matrix ({@code oldest}, {@code default}, {@code newest}), so a caller names
         * none itself; anything else is taken as a version.
         */
        public String resolve(String nameOrVersion) {
            return switch (nameOrVersion) {
                case "oldest" -> matrix.get(0);
                case "default" -> defaultVersion;
                case "newest" -> matrix.get(matrix.size() - 1);
                default -> nameOrVersion;
            };
        }

        /** Whether target/elasticsearch-&lt;version&gt;/ holds a home with the analysis plugin. */
        public boolean isBuilt(String version) {
            return Files.isRegularFile(root().resolve("infra/elasticsearch/target/elasticsearch-" + version
                    + "/plugins/crosslink-analysis/plugin-descriptor.properties"));
        }
    }

    private static Path built(Path path, String module) {
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException(path + " is missing: build it first (./mvnw -pl " + module + " package)");
        }
        return path;
    }
}

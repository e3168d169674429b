package io.crosslink.infra;

import java.nio.file.Files;
import java.nio.file.Path;

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

    private static Path built(Path path, String module) {
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException(path + " is missing: build it first (./mvnw -pl " + module + " package)");
        }
        return path;
    }
}

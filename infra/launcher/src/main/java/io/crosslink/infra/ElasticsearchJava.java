package io.crosslink.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for which Java runs which Elasticsearch (the integ-test distribution has no bundled JDK, so the
 * launcher picks {@code ES_JAVA_HOME}):
 * <ul>
 * <li>8.x: Java 17 to 23. 8.x installs a SecurityManager, which Java 24+ can no longer enable.</li>
 * <li>9.x and later: Java 21 or newer (9.0 replaced the SecurityManager by entitlements and needs 21).</li>
 * </ul>
 * Candidates, in order: the explicit override ({@code -Dcrosslink.es<major>.java.home} or
 * {@code CROSSLINK_ES<major>_JAVA_HOME}, e.g. {@code CROSSLINK_ES9_JAVA_HOME}), the JVM running this code, then
 * every JDK under {@code /usr/lib/jvm} (newest fitting one first). A JDK is recognised by its {@code release} file.
 */
public final class ElasticsearchJava {
    static final Path JVM_DIRECTORY = Path.of("/usr/lib/jvm");
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private ElasticsearchJava() {
    }

    /** The Java feature versions (inclusive) that can run the given Elasticsearch version. */
    public record Range(int min, int max) {
        boolean contains(int feature) {
            return feature >= min && feature <= max;
        }

        @Override
        public String toString() {
            return max == Integer.MAX_VALUE ? min + "+" : min + " to " + max;
        }
    }

    /** The rule itself. */
    public static Range supported(String elasticsearchVersion) {
        int major = majorOf(elasticsearchVersion);
        if (major < 8) {
            throw new IllegalArgumentException("Elasticsearch " + elasticsearchVersion + " is older than the matrix supports (8.x+)");
        }
        return major == 8 ? new Range(17, 23) : new Range(21, Integer.MAX_VALUE);
    }

    /** The Java home to run the given Elasticsearch version with; a clear error naming every candidate otherwise. */
    public static Path homeFor(String elasticsearchVersion) {
        Range range = supported(elasticsearchVersion);
        int major = majorOf(elasticsearchVersion);
        List<String> seen = new ArrayList<>();
        for (Path candidate : candidates(major)) {
            Optional<Integer> feature = featureOf(candidate);
            seen.add(candidate + " (" + feature.map(f -> "Java " + f).orElse("no JDK release file") + ")");
            if (feature.isPresent() && range.contains(feature.get()) && Files.isExecutable(candidate.resolve("bin/java"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no Java " + range + " found for Elasticsearch " + elasticsearchVersion + "; looked at "
                + String.join(", ", seen) + ". Install one under " + JVM_DIRECTORY + " or set -Dcrosslink.es" + major
                + ".java.home / CROSSLINK_ES" + major + "_JAVA_HOME");
    }

    /** The feature version (17, 21, 25...) from a Java home's {@code release} file. */
    static Optional<Integer> featureOf(Path javaHome) {
        try {
            Matcher matcher = JAVA_VERSION.matcher(Files.readString(javaHome.resolve("release"), StandardCharsets.UTF_8));
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static int majorOf(String elasticsearchVersion) {
        Matcher matcher = Pattern.compile("(\\d+)\\.\\d+\\.\\d+.*").matcher(elasticsearchVersion);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not an Elasticsearch version: " + elasticsearchVersion);
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static List<Path> candidates(int major) {
        Set<Path> candidates = new LinkedHashSet<>();
        String override = System.getProperty("crosslink.es" + major + ".java.home",
                System.getenv("CROSSLINK_ES" + major + "_JAVA_HOME"));
        if (override != null && !override.isBlank()) {
            candidates.add(real(Path.of(override)));
        }
        candidates.add(real(Path.of(System.getProperty("java.home"))));
        if (Files.isDirectory(JVM_DIRECTORY)) {
            try (var dirs = Files.list(JVM_DIRECTORY)) {
                dirs.filter(Files::isDirectory)
                        .map(ElasticsearchJava::real)
                        .sorted(Comparator.comparing((Path p) -> featureOf(p).orElse(0)).reversed()
                                .thenComparing(p -> p.toString().toLowerCase(Locale.ROOT)))
                        .forEach(candidates::add);
            } catch (IOException e) {
                // no candidates from there
            }
        }
        return List.copyOf(candidates);
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}

package io.crosslink.connect.service;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Elasticsearch's rules for index names, applied to the names and patterns a cross-cluster key grants, so that a
 * request Elasticsearch would refuse or misread is refused at intake with the reason, before a key exists. A name
 * with {@code :} names a cluster ({@code other:idx}): R's key can only grant R's own indices. {@code *} is the one
 * wildcard kept; a leading {@code -} (an exclusion) is judged on the rest of the name.
 */
final class IndexNames {
    /** Elasticsearch's {@code MetadataCreateIndexService}: at most 255 bytes. */
    static final int MAX_BYTES = 255;
    private static final String FORBIDDEN = "\\/?\"<>|, #";

    private IndexNames() {
    }

    /** Why {@code name} is not an index name or pattern, or empty when it is one. */
    static Optional<String> problem(String name) {
        String rest = name.startsWith("-") ? name.substring(1) : name;
        if (rest.isEmpty()) {
            return Optional.of("must name an index after '-'");
        }
        if (rest.indexOf(':') >= 0) {
            return Optional.of("must not contain ':': a cluster prefix (other:index) is not an index of R, "
                    + "the key grants R's own indices");
        }
        if (rest.startsWith("/")) {
            return Optional.of("must be an index name or a pattern with '*', not a regular expression");
        }
        for (char c : rest.toCharArray()) {
            if (FORBIDDEN.indexOf(c) >= 0 || Character.isISOControl(c)) {
                return Optional.of("must not contain '" + printable(c) + "' (Elasticsearch index names cannot contain "
                        + "\\ / ? \" < > | , # or spaces)");
            }
        }
        if (!rest.equals(rest.toLowerCase(Locale.ROOT))) {
            return Optional.of("must be lowercase (Elasticsearch index names are)");
        }
        if (rest.startsWith("_") || rest.startsWith("+")) {
            return Optional.of("must not start with '_' or '+'");
        }
        if (rest.equals(".") || rest.equals("..")) {
            return Optional.of("must not be '.' or '..'");
        }
        if (rest.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("must be at most " + MAX_BYTES + " bytes");
        }
        return Optional.empty();
    }

    private static String printable(char c) {
        return c == ' ' ? "space" : Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}

package io.crosslink.elastic;

/** Elasticsearch versions as the Cloud API reports them ({@code 8.19.21}, {@code 9.5.4}), for features that came later. */
public final class ElasticVersion {
    private ElasticVersion() {
    }

    /** Whether {@code version} is {@code major.minor} or later; an unknown or unreadable version is not. */
    public static boolean atLeast(String version, int major, int minor) {
        if (version == null) {
            return false;
        }
        String[] parts = version.split("[.-]");
        try {
            int actualMajor = Integer.parseInt(parts[0]);
            int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return actualMajor > major || actualMajor == major && actualMinor >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

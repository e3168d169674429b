package io.crosslink.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Latency summary of one series in milliseconds: count, p50/p95/p99 by the nearest-rank method (the smallest value
 * with at least p % of the series at or below it: always a measured value, no interpolation), max and mean.
 */
public record Percentiles(int count, long p50, long p95, long p99, long max, double mean) {
    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0);

    public static Percentiles of(Collection<Long> millis) {
        if (millis.isEmpty()) {
            return EMPTY;
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted[sorted.length - 1],
                Arrays.stream(sorted).average().orElse(0));
    }

    /** Nearest rank: the value at position ceil(p/100 * n) (1-based). */
    static long rank(long[] sorted, double percentile) {
        int position = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, position - 1))];
    }

    /** {@code this / baseline} per percentile (null where the baseline is 0 or empty). */
    public Ratio over(Percentiles baseline) {
        return new Ratio(ratio(p50, baseline.p50), ratio(p95, baseline.p95), ratio(p99, baseline.p99), ratio(max, baseline.max),
                baseline.mean == 0 ? null : mean / baseline.mean);
    }

    private static Double ratio(long value, long base) {
        return base == 0 ? null : (double) value / base;
    }

    public record Ratio(Double p50, Double p95, Double p99, Double max, Double mean) {
    }
}

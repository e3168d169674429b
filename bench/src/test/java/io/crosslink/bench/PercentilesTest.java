package io.crosslink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOfOneToHundred() {
        List<Long> values = new ArrayList<>(LongStream.rangeClosed(1, 100).boxed().toList());
        Collections.shuffle(values, new java.util.Random(1));
        Percentiles p = Percentiles.of(values);
        assertEquals(100, p.count());
        assertEquals(50, p.p50());
        assertEquals(95, p.p95());
        assertEquals(99, p.p99());
        assertEquals(100, p.max());
        assertEquals(50.5, p.mean(), 1e-9);
    }

    @Test
    void smallSeriesTakeMeasuredValues() {
        Percentiles p = Percentiles.of(List.of(30L, 10L, 20L));
        assertEquals(20, p.p50());
        assertEquals(30, p.p95());
        assertEquals(30, p.p99());
        Percentiles one = Percentiles.of(List.of(7L));
        assertEquals(7, one.p50());
        assertEquals(7, one.p99());
    }

    @Test
    void emptySeriesIsAllZero() {
        assertEquals(Percentiles.EMPTY, Percentiles.of(List.of()));
    }

    @Test
    void ratioPerPercentileAndNullOverAnEmptyBaseline() {
        Percentiles saga = Percentiles.of(List.of(200L, 400L));
        Percentiles baseline = Percentiles.of(List.of(100L, 100L));
        Percentiles.Ratio ratio = saga.over(baseline);
        assertEquals(2.0, ratio.p50());
        assertEquals(4.0, ratio.p99());
        assertEquals(3.0, ratio.mean());
        assertNull(saga.over(Percentiles.EMPTY).p50());
    }
}

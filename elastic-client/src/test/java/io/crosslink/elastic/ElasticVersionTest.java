package io.crosslink.elastic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ElasticVersionTest {

    @Test
    void comparesMajorThenMinor() {
        assertTrue(ElasticVersion.atLeast("8.18.0", 8, 18));
        assertTrue(ElasticVersion.atLeast("8.19.21", 8, 18));
        assertTrue(ElasticVersion.atLeast("9.0.0", 8, 18));
        assertFalse(ElasticVersion.atLeast("8.15.5", 8, 18));
        assertFalse(ElasticVersion.atLeast("7.17.30", 8, 15));
        assertTrue(ElasticVersion.atLeast("9.5.4-SNAPSHOT", 9, 3));
    }

    @Test
    void anUnknownVersionHasNoLaterFeature() {
        assertFalse(ElasticVersion.atLeast(null, 8, 15));
        assertFalse(ElasticVersion.atLeast("", 8, 15));
        assertFalse(ElasticVersion.atLeast("latest", 8, 15));
    }
}

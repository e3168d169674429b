package io.crosslink.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticsearchVersionsTest {

    @Test
    void versionsAreNamedByTheirPlaceInTheMatrix() {
        CrosslinkPaths.ElasticsearchVersions versions = new CrosslinkPaths.ElasticsearchVersions("8.19.21",
                List.of("8.15.5", "8.19.21", "9.5.4"));
        assertEquals("8.15.5", versions.resolve("oldest"));
        assertEquals("8.19.21", versions.resolve("default"));
        assertEquals("9.5.4", versions.resolve("newest"));
        assertEquals("9.1.0", versions.resolve("9.1.0"), "anything else is a version");
    }
}

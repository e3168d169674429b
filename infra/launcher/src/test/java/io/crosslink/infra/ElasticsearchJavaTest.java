package io.crosslink.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchJavaTest {

    @Test
    void ruleByMajorVersion() {
        assertEquals(new ElasticsearchJava.Range(17, 23), ElasticsearchJava.supported("8.15.0"));
        assertEquals(new ElasticsearchJava.Range(17, 23), ElasticsearchJava.supported("8.19.0"));
        assertEquals(new ElasticsearchJava.Range(21, Integer.MAX_VALUE), ElasticsearchJava.supported("9.0.0"));
        assertEquals("21+", ElasticsearchJava.supported("9.0.0").toString());
        assertThrows(IllegalArgumentException.class, () -> ElasticsearchJava.supported("7.17.29"));
        assertThrows(IllegalArgumentException.class, () -> ElasticsearchJava.supported("nine"));
    }

    @Test
    void readsTheFeatureVersionFromTheReleaseFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");
        assertEquals(Optional.of(25), ElasticsearchJava.featureOf(dir));
        assertEquals(Optional.empty(), ElasticsearchJava.featureOf(dir.resolve("missing")));
    }

    @Test
    void picksAJavaInsideTheRangeForTheDefaultVersion() {
        String version = System.getProperty("elasticsearch.version", "8.19.21");
        Path home = ElasticsearchJava.homeFor(version);
        int feature = ElasticsearchJava.featureOf(home).orElseThrow();
        assertTrue(ElasticsearchJava.supported(version).contains(feature), home + " is Java " + feature);
        assertTrue(Files.isExecutable(home.resolve("bin/java")), home.toString());
    }
}

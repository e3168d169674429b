package io.crosslink.verify.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestElasticsearchClientTest {

    @Test
    void resolveClusterWaitsAtMostItsTimeoutWhereTheVersionHasOne() {
        assertEquals(Optional.of(RestElasticsearchClient.RESOLVE_TIMEOUT), RestElasticsearchClient.resolveTimeout("8.18.0"));
        assertEquals(Optional.of(RestElasticsearchClient.RESOLVE_TIMEOUT), RestElasticsearchClient.resolveTimeout("9.5.4"));
        // 8.15 answers 400 to an unrecognized parameter; an unknown version gets none either.
        assertEquals(Optional.empty(), RestElasticsearchClient.resolveTimeout("8.15.5"));
        assertEquals(Optional.empty(), RestElasticsearchClient.resolveTimeout(null));
    }
}

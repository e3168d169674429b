package io.crosslink.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElasticAnswerTest {

    @Test
    void warningsAreTheTextsOfTheWarningHeader() {
        // Two warnings joined by the HTTP client, the second with an escaped quote and no date.
        String header = "299 Elasticsearch-9.5.4-abc \"[transport.ssl] is deprecated\" \"Sat, 05 Dec 2026 10:00:00 GMT\","
                + " 299 Elasticsearch-9.5.4-abc \"setting [x] is \\\"old\\\"\"";
        ElasticAnswer answer = new ElasticAnswer(200, "{}", Map.of("warning", header), null);
        assertEquals(List.of("[transport.ssl] is deprecated", "setting [x] is \"old\""), answer.warnings());
    }

    @Test
    void noWarningHeaderMeansNoWarnings() {
        assertEquals(List.of(), new ElasticAnswer(200, "{}").warnings());
    }
}

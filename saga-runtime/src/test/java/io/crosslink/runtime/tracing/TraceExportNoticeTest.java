package io.crosslink.runtime.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceExportNoticeTest {
    @Test
    void namesTheCollectorWithoutAnythingButSchemeHostAndPort() {
        assertEquals("traces: exported to http://collector:4318 (OTLP)",
                TraceExportNotice.message("http://user:secret@collector:4318/v1?token=t", Optional.empty()));
    }

    @Test
    void explainsWhyTheGenericEndpointAloneExportsNothing() {
        assertTrue(TraceExportNotice.message("", Optional.of("http://collector:4317"))
                .contains("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        assertTrue(TraceExportNotice.message("", Optional.empty()).startsWith("traces: not exported"));
    }
}

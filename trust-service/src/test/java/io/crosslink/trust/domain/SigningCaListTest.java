package io.crosslink.trust.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crosslink.events.EventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigningCaListTest {

    @Test
    void theValueIsTheKeptPathsThenTheHeldOnesEachOnce() {
        assertEquals(List.of("bundle/ca.crt", "internal_tls_ca.crt", "other.crt"),
                SigningCaList.of(List.of("bundle/ca.crt"), List.of("internal_tls_ca.crt", "bundle/ca.crt", "other.crt",
                        "internal_tls_ca.crt")));
        assertEquals(List.of(), SigningCaList.of(List.of(), List.of()));
    }

    @Test
    void theBodySetsTheWholeListAndAnEmptyOneResetsTheSetting() {
        assertEquals(EventCodec.read("""
                {"persistent":{"cluster.remote.signing.certificate_authorities":["a.crt","b.crt"]}}""",
                com.fasterxml.jackson.databind.JsonNode.class),
                EventCodec.read(SigningCaList.settingsBody(List.of("a.crt", "b.crt")),
                        com.fasterxml.jackson.databind.JsonNode.class));
        assertEquals("{\"persistent\":{\"cluster.remote.signing.certificate_authorities\":null}}",
                SigningCaList.settingsBody(List.of()));
    }
}

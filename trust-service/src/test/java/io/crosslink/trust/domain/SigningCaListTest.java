package io.crosslink.trust.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crosslink.events.EventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R's list as Elasticsearch may answer it, and the PUT bodies. */
class SigningCaListTest {

    @Test
    void readsTheNestedForm() {
        assertEquals(List.of("a.crt", "b.crt"), read("{\"persistent\":{\"cluster\":{\"remote\":{\"signing\":"
                + "{\"certificate_authorities\":[\"a.crt\",\"b.crt\"]}}}},\"transient\":{}}"));
    }

    @Test
    void readsFlatAndMixedKeys_andASingleValueAsAString() {
        assertEquals(List.of("a.crt"), read("{\"persistent\":{\"cluster.remote.signing.certificate_authorities\":"
                + "\"a.crt\"}}"));
        assertEquals(List.of("a.crt"), read("{\"persistent\":{\"cluster\":{\"remote.signing\":"
                + "{\"certificate_authorities\":[\"a.crt\"]}}}}"));
    }

    @Test
    void unsetOrOnlyTransient_isEmpty() {
        assertEquals(List.of(), read("{\"persistent\":{},\"transient\":{\"cluster.remote.signing."
                + "certificate_authorities\":[\"t.crt\"]}}"));
        assertEquals(List.of(), read("{\"persistent\":{\"cluster\":{\"remote\":{\"eu\":{\"mode\":\"proxy\"}}}}}"));
    }

    @Test
    void putBodies_theWholeList_orNullWhenEmpty() {
        assertEquals("{\"persistent\":{\"cluster.remote.signing.certificate_authorities\":[\"a.crt\",\"b.crt\"]}}",
                SigningCaList.settingsBody(SigningCaList.with(List.of("a.crt"), "b.crt")));
        assertEquals(List.of("a.crt"), SigningCaList.with(List.of("a.crt"), "a.crt"));
        assertEquals("{\"persistent\":{\"cluster.remote.signing.certificate_authorities\":null}}",
                SigningCaList.settingsBody(SigningCaList.without(List.of("a.crt"), "a.crt")));
    }

    private static List<String> read(String json) {
        try {
            return SigningCaList.read(EventCodec.mapper().readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

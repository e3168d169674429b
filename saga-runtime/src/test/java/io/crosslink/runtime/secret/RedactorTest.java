package io.crosslink.runtime.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void knownSecretsAreReplaced() {
        assertEquals("key [redacted] refused", Redactor.redact("key s3cr3t refused", "s3cr3t"));
    }

    @Test
    void keystoreValuesEchoedByTheCloudApiAreRemoved() {
        String echo = "invalid body {\"secrets\":{\"cluster.remote.a.credentials\":{\"value\":\"abc:def\",\"as_file\":false}}}";
        String redacted = Redactor.redact(echo);
        assertFalse(redacted.contains("abc:def"));
        assertTrue(redacted.contains("cluster.remote.a.credentials"), "the setting name stays: it says what failed");
    }

    @Test
    void authorizationHeadersAndEncodedKeysAreRemoved() {
        String text = "sent Authorization: ApiKey ZWNlLWRldi1hcGkta2V5 and "
                + "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
        String redacted = Redactor.redact(text);
        assertFalse(redacted.contains("ZWNlLWRldi1hcGkta2V5"));
        assertFalse(redacted.contains("VnVhQ2ZHY0JDZGJr"));
    }

    @Test
    void ordinaryErrorsAreLeftReadable() {
        String reason = "unable to authenticate user [elastic] for REST request [/_security/cross_cluster/api_key]";
        assertEquals(reason, Redactor.redact(reason));
        assertNull(Redactor.redact(null));
    }
}

package io.crosslink.runtime.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.EventCodec;
import io.crosslink.events.SealedSecret;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private static final String ENCODED = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    private final SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());

    @Test
    void sealsAndOpensForTheSameConnection() {
        SealedSecret sealed = box.seal(ENCODED, "conn-1");
        assertEquals(ENCODED, box.open(sealed, "conn-1"));
        assertEquals(box.keyId(), sealed.keyId());
    }

    @Test
    void sealedFormAndItsJsonNeverContainThePlaintext() {
        SealedSecret sealed = box.seal(ENCODED, "conn-1");
        String json = EventCodec.encode(sealed);
        assertFalse(json.contains(ENCODED));
        assertFalse(json.contains(ENCODED.substring(0, 20)));
    }

    @Test
    void eachSealUsesAFreshNonce() {
        assertNotEquals(box.seal(ENCODED, "c").nonce(), box.seal(ENCODED, "c").nonce());
    }

    @Test
    void aSecretSealedForOneConnectionCannotBeOpenedForAnother() {
        SealedSecret sealed = box.seal(ENCODED, "conn-1");
        SecretBox.SecretException e = assertThrows(SecretBox.SecretException.class, () -> box.open(sealed, "conn-2"));
        assertFalse(e.getMessage().contains(ENCODED));
    }

    @Test
    void tamperedCiphertextIsRefused() {
        SealedSecret sealed = box.seal(ENCODED, "conn-1");
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[0] ^= 1;
        SealedSecret tampered = new SealedSecret(sealed.keyId(), sealed.nonce(), Base64.getEncoder().encodeToString(bytes));
        assertThrows(SecretBox.SecretException.class, () -> box.open(tampered, "conn-1"));
    }

    @Test
    void anotherDataKeyIsNamedInTheError() {
        SecretBox other = SecretBox.fromBase64(SecretBox.newDataKey());
        SecretBox.SecretException e = assertThrows(SecretBox.SecretException.class,
                () -> other.open(box.seal(ENCODED, "c"), "c"));
        assertTrue(e.getMessage().contains(box.keyId()));
    }

    @Test
    void badDataKeysAreRefusedWithoutEchoingThem() {
        assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64(""));
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.fromBase64("not base64 !!"));
        assertFalse(notBase64.getMessage().contains("not base64 !!"));
        assertThrows(IllegalArgumentException.class,
                () -> SecretBox.fromBase64(Base64.getEncoder().encodeToString(new byte[16])));
    }
}

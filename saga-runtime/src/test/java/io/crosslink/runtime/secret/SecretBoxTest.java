package io.crosslink.runtime.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.EventCodec;
import io.crosslink.events.SealedSecret;
import java.util.Base64;
import java.util.List;
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

    // ---------------------------------------------------------------- keyring (crosslink.secrets.data-keys)

    @Test
    void afterRotationTheOldKeyStillOpensAndTheNewOneSeals() {
        String k1 = SecretBox.newDataKey();
        String k2 = SecretBox.newDataKey();
        SecretBox before = SecretBox.keyring(List.of(k1));
        SealedSecret sealedBefore = before.seal(ENCODED, "conn-1");

        // Step 1: k2 joins at the end of the ring: it opens, k1 still seals.
        SecretBox joined = SecretBox.keyring(List.of(k1, k2));
        assertEquals(before.keyId(), joined.seal(ENCODED, "conn-2").keyId());
        // Step 2: k2 moves to the front: it seals, k1 still opens.
        SecretBox rotated = SecretBox.keyring(List.of(k2, k1));
        assertEquals(ENCODED, rotated.open(sealedBefore, "conn-1"));
        SealedSecret sealedAfter = rotated.seal(ENCODED, "conn-3");
        assertEquals(SecretBox.keyring(List.of(k2)).keyId(), sealedAfter.keyId());
        assertNotEquals(before.keyId(), sealedAfter.keyId());
        assertEquals(List.of(sealedAfter.keyId(), before.keyId()), rotated.keyIds());
        // A service still at step 1 opens what the rotated one sealed.
        assertEquals(ENCODED, joined.open(sealedAfter, "conn-3"));
    }

    @Test
    void aRingWithoutTheSealingKeySaysSoNamingKeyIdsOnly() {
        String k1 = SecretBox.newDataKey();
        String k2 = SecretBox.newDataKey();
        SealedSecret sealed = SecretBox.keyring(List.of(k1)).seal(ENCODED, "conn-1");
        SecretBox dropped = SecretBox.keyring(List.of(k2));

        SecretBox.SecretException e = assertThrows(SecretBox.SecretException.class, () -> dropped.open(sealed, "conn-1"));
        assertTrue(e.getMessage().contains("sealed with data key " + sealed.keyId()), e.getMessage());
        assertTrue(e.getMessage().contains("not in this service's keyring"), e.getMessage());
        assertTrue(e.getMessage().contains(SecretBox.DATA_KEYS), e.getMessage());
        assertTrue(e.getMessage().contains(dropped.keyId()), e.getMessage());
        assertFalse(e.getMessage().contains(k1) || e.getMessage().contains(k2), "key material in: " + e.getMessage());
    }

    @Test
    void theSettingsCommaSeparatedFormIsTheSameRing() {
        String k1 = SecretBox.newDataKey();
        String k2 = SecretBox.newDataKey();
        assertEquals(SecretBox.keyring(List.of(k2, k1)).keyIds(), SecretBox.fromBase64(k2 + "," + k1).keyIds());
        assertEquals(SecretBox.keyring(List.of(k2, k1)).keyIds(), SecretBox.fromBase64(" " + k2 + " , " + k1 + " ").keyIds());
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingBothPositions() {
        String k1 = SecretBox.newDataKey();
        String k2 = SecretBox.newDataKey();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.keyring(List.of(k1, k2, k1)));
        assertEquals("data key 3 of crosslink.secrets.data-keys repeats data key 1 (key id "
                + SecretBox.fromBase64(k1).keyId() + ")", e.getMessage());
    }

    @Test
    void aBadKeyAnywhereInTheRingIsRefusedByPositionWithoutEchoingIt() {
        String good = SecretBox.newDataKey();
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.keyring(List.of(good, short16)));
        assertEquals("data key 2 of crosslink.secrets.data-keys must be 32 bytes (base64 of 32 random bytes), got 16",
                tooShort.getMessage());
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.fromBase64(good + ",not base64 !!"));
        assertEquals("data key 2 of crosslink.secrets.data-keys is not base64 of 32 bytes", notBase64.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64(good + ",,"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> SecretBox.keyring(List.of()));
        assertEquals("no data key configured (crosslink.secrets.data-keys)", empty.getMessage());
    }
}

package io.crosslink.runtime.secret;

import io.crosslink.events.SealedSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets (encoded API keys) for the trip between services: AES-256-GCM under a keyring of data keys the
 * sealing and the opening service are configured with ({@code crosslink.secrets.data-keys}: base64 of 32 bytes
 * each, comma-separated), a random 96-bit nonce per seal, a 128-bit tag, and the connection id as associated data.
 * The first key of the ring seals; every key of the ring opens what it sealed, found by the sealed secret's key id
 * (the first 8 bytes of the key's SHA-256). So a key rotates without stopping the saga: add the new key at the end of
 * every ring, then move it to the front, then drop the old one once nothing sealed with it is in flight (README:
 * Rotating the data key). Errors name key ids and positions in the ring, never key material.
 */
public final class SecretBox {
    /** The setting every service that seals or opens reads its keyring from. */
    public static final String DATA_KEYS = "crosslink.secrets.data-keys";
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The ring, the sealing key first. */
    private final List<DataKey> ring;

    private record DataKey(String id, SecretKeySpec key) {
    }

    private SecretBox(List<DataKey> ring) {
        this.ring = List.copyOf(ring);
    }

    /**
     * A box from the keyring of the configuration ({@value #DATA_KEYS}): the first key seals, every key opens.
     * Refused: an empty ring, a key that is not base64 of 32 bytes, and a key given twice (each named by its
     * position, never echoed).
     */
    public static SecretBox keyring(List<String> dataKeys) {
        if (dataKeys == null || dataKeys.stream().allMatch(key -> key == null || key.isBlank())) {
            throw new IllegalArgumentException("no data key configured (" + DATA_KEYS + ")");
        }
        List<DataKey> ring = new ArrayList<>();
        int position = 0;
        for (String dataKey : dataKeys) {
            position++;
            if (dataKey == null || dataKey.isBlank()) {
                throw new IllegalArgumentException("data key " + position + " of " + DATA_KEYS + " is empty");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(dataKey.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("data key " + position + " of " + DATA_KEYS
                        + " is not base64 of 32 bytes");
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException("data key " + position + " of " + DATA_KEYS
                        + " must be 32 bytes (base64 of 32 random bytes), got " + bytes.length);
            }
            String id = keyId(bytes);
            for (int earlier = 0; earlier < ring.size(); earlier++) {
                if (ring.get(earlier).id().equals(id)) {
                    throw new IllegalArgumentException("data key " + position + " of " + DATA_KEYS
                            + " repeats data key " + (earlier + 1) + " (key id " + id + ")");
                }
            }
            ring.add(new DataKey(id, new SecretKeySpec(bytes, "AES")));
            Arrays.fill(bytes, (byte) 0);
        }
        return new SecretBox(ring);
    }

    /**
     * A box from one base64 data key, or from a keyring written as the setting is (comma-separated, the sealing key
     * first): what tests and tools that hold the keys as one string use.
     */
    public static SecretBox fromBase64(String dataKeys) {
        if (dataKeys == null || dataKeys.isBlank()) {
            throw new IllegalArgumentException("no data key configured (" + DATA_KEYS + ")");
        }
        return keyring(Arrays.asList(dataKeys.split(",", -1)));
    }

    /** A fresh random data key, base64: what {@code deploy/local/run.sh} and tests configure. */
    public static String newDataKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The id of the key that seals (the first of the ring). */
    public String keyId() {
        return ring.get(0).id();
    }

    /** The ids of every key of the ring, the sealing key first: what a service says at start. */
    public List<String> keyIds() {
        return ring.stream().map(DataKey::id).toList();
    }

    /** Seals with the first key of the ring. */
    public SealedSecret seal(String plaintext, String connectionId) {
        DataKey sealing = ring.get(0);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, sealing.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(connectionId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return new SealedSecret(sealing.id(), b64.encodeToString(nonce), b64.encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Opens a sealed secret of this connection with the key of the ring it names; fails if no key of the ring has that
     * id, or if anything was tampered with.
     */
    public String open(SealedSecret sealed, String connectionId) {
        DataKey opening = ring.stream().filter(key -> Objects.equals(key.id(), sealed.keyId())).findFirst()
                .orElseThrow(() -> new SecretException("sealed with data key " + sealed.keyId()
                        + ", which is not in this service's keyring (" + DATA_KEYS + ": key ids " + keyIds() + ")"));
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, opening.key(),
                    new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(sealed.nonce())));
            cipher.updateAAD(connectionId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(Base64.getDecoder().decode(sealed.ciphertext())), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretException("cannot open the sealed secret of connection " + connectionId
                    + " (tampered, or sealed for another connection)");
        }
    }

    @Override
    public String toString() {
        return "SecretBox[seals with " + keyId() + ", opens " + keyIds() + "]";
    }

    private static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class SecretException extends RuntimeException {
        public SecretException(String message) {
            super(message);
        }
    }
}

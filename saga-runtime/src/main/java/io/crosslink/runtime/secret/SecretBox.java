package io.crosslink.runtime.secret;

import io.crosslink.events.SealedSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets (encoded API keys) for the trip between services: AES-256-GCM with a data key both sides are
 * configured with ({@code crosslink.secrets.data-key}, base64 of 32 bytes), a random 96-bit nonce per seal,
 * a 128-bit tag, and the connection id as associated data. The key id is the first 8 bytes of the key's
 * SHA-256, so a receiver with another key says so instead of failing obscurely.
 */
public final class SecretBox {
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    private SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the data key must be 32 bytes (base64 of 32 random bytes), got " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.keyId = keyId(key);
    }

    /** A box from the base64 data key of the configuration. */
    public static SecretBox fromBase64(String dataKey) {
        if (dataKey == null || dataKey.isBlank()) {
            throw new IllegalArgumentException("no data key configured (crosslink.secrets.data-key)");
        }
        try {
            return new SecretBox(Base64.getDecoder().decode(dataKey.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the data key is not base64 of 32 bytes");
        }
    }

    /** A fresh random data key, base64: what {@code deploy/local/run.sh} and tests configure. */
    public static String newDataKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public String keyId() {
        return keyId;
    }

    public SealedSecret seal(String plaintext, String connectionId) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(connectionId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return new SealedSecret(keyId, b64.encodeToString(nonce), b64.encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal: " + e.getClass().getSimpleName());
        }
    }

    /** Opens a sealed secret of this connection; fails if the key differs or anything was tampered with. */
    public String open(SealedSecret sealed, String connectionId) {
        if (!keyId.equals(sealed.keyId())) {
            throw new SecretException("sealed with data key " + sealed.keyId() + ", this service has " + keyId);
        }
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(sealed.nonce())));
            cipher.updateAAD(connectionId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(Base64.getDecoder().decode(sealed.ciphertext())), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretException("cannot open the sealed secret of connection " + connectionId
                    + " (tampered, or sealed for another connection)");
        }
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

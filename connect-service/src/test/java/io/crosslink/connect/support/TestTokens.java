package io.crosslink.connect.support;

import io.crosslink.connect.service.Caller;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * Bearer tokens of the tests' issuer, signed with an RSA key pair generated once per test JVM. The pair lives in PEM
 * files in a temporary directory named by a system property: Quarkus loads test resources and tests in class loaders
 * of their own, so only JVM-wide state is shared ({@link JwtTestResource} wires the public key into the service).
 */
public final class TestTokens {
    public static final String ISSUER = "https://issuer.crosslink.test";
    public static final String AUDIENCE = "crosslink";
    /** The team of {@link #admin()}; connections it posts belong to it. */
    public static final String ADMIN_TEAM = "platform";
    public static final String ADMIN_SUBJECT = "test-admin";
    private static final String KEYS_PROPERTY = "crosslink.test.jwt.keys";
    private static final Duration LIFESPAN = Duration.ofHours(12);

    private static String admin;

    private TestTokens() {
    }

    /** An admin of team {@value #ADMIN_TEAM}: the token every test request carries unless it sends its own. */
    public static synchronized String admin() {
        if (admin == null) {
            admin = token(ADMIN_SUBJECT, ADMIN_TEAM, Caller.ADMIN);
        }
        return admin;
    }

    /** A valid token of {@code subject} in {@code team} (none when null) with these roles. */
    public static String token(String subject, String team, String... roles) {
        return sign(claims(subject, team, roles));
    }

    /** The claims of a valid token, to be changed before {@link #sign}. */
    public static JwtClaimsBuilder claims(String subject, String team, String... roles) {
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).groups(Set.of(roles))
                .expiresIn(LIFESPAN);
        return team == null ? claims : claims.claim(Caller.TEAM_CLAIM, team);
    }

    /** Signed with the issuer's private key (RS256). */
    public static String sign(JwtClaimsBuilder claims) {
        return claims.sign(privateKey());
    }

    /** Signed with a key of nobody the service knows. */
    public static String signWithOtherKey(JwtClaimsBuilder claims) {
        return claims.sign(newKeyPair().getPrivate());
    }

    /** The PEM file of the issuer's public key ({@code mp.jwt.verify.publickey.location}). */
    public static Path publicKeyFile() {
        return keys().resolve("public.pem");
    }

    private static PrivateKey privateKey() {
        try {
            String pem = Files.readString(keys().resolve("private.pem"), StandardCharsets.US_ASCII);
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory of this JVM's key pair, generated on first use (JVM-wide: locked on the system properties). */
    private static Path keys() {
        synchronized (System.getProperties()) {
            String existing = System.getProperty(KEYS_PROPERTY);
            if (existing != null) {
                return Path.of(existing);
            }
            try {
                Path dir = Files.createTempDirectory("crosslink-jwt-");
                KeyPair pair = newKeyPair();
                Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                dir.resolve("public.pem").toFile().deleteOnExit();
                dir.resolve("private.pem").toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                System.setProperty(KEYS_PROPERTY, dir.toString());
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

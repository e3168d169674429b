package io.crosslink.deploy;

import io.crosslink.infra.CrosslinkPaths;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The issuer of a local or test stack: a fresh RSA key pair per run, whose public key connect-service verifies
 * bearer tokens against ({@code mp.jwt.verify.publickey.location}), and tokens for the demo callers, whose teams the
 * demo access policy ({@value #DEMO_POLICY}) lets use the demo deployments. A real installation points the same
 * settings at its OIDC provider and its own policy instead.
 */
public final class LocalTokens {
    public static final String ISSUER = "https://crosslink.local/issuer";
    public static final String AUDIENCE = "crosslink";
    /** The access policy of the demo teams, in the checkout ({@code crosslink.policy.file}). */
    public static final String DEMO_POLICY = "deploy/local/policy.yaml";
    /** Requesters of two teams and an administrator: the callers the README's curls use. */
    public static final Map<String, Caller> CALLERS = callers();

    /** Who a token speaks for: its subject, team ({@code crosslink_team}, none for the admin) and roles. */
    public record Caller(String subject, String team, Set<String> groups) {
    }

    private final Path publicKey;
    private final Map<String, String> tokens;
    /** Kept in memory only, for {@link #mint}: never written anywhere. */
    private final PrivateKey signingKey;

    private LocalTokens(Path publicKey, Map<String, String> tokens, PrivateKey signingKey) {
        this.publicKey = publicKey;
        this.tokens = tokens;
        this.signingKey = signingKey;
    }

    /**
     * Generates the key pair, writes the public key to {@code dir/public-key.pem} and each caller's token to
     * {@code dir/tokens/<name>.jwt} (owner-only: a token is a credential), valid for {@code validity}.
     */
    public static LocalTokens issue(Path dir, Duration validity) throws IOException {
        KeyPair pair = rsaKeyPair();
        Files.createDirectories(dir.resolve("tokens"));
        Path publicKey = dir.resolve("public-key.pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n", StandardCharsets.US_ASCII);
        Map<String, String> tokens = new LinkedHashMap<>();
        for (Map.Entry<String, Caller> caller : CALLERS.entrySet()) {
            var claims = Jwt.issuer(ISSUER).audience(AUDIENCE).subject(caller.getValue().subject())
                    .groups(caller.getValue().groups()).expiresIn(validity);
            if (caller.getValue().team() != null) {
                claims.claim("crosslink_team", caller.getValue().team());
            }
            String token = claims.jws().keyId("local").sign(pair.getPrivate());
            Path file = dir.resolve("tokens").resolve(caller.getKey() + ".jwt");
            Files.writeString(file, token, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            tokens.put(caller.getKey(), token);
        }
        return new LocalTokens(publicKey, Map.copyOf(tokens), pair.getPrivate());
    }

    /**
     * A further token of this issuer, for tests of who may do what: {@code team} null names none, {@code expiresAt}
     * in the past makes an expired one.
     */
    public String mint(Caller caller, Instant expiresAt) {
        var claims = Jwt.issuer(ISSUER).audience(AUDIENCE).subject(caller.subject()).groups(caller.groups())
                .issuedAt(expiresAt.minus(Duration.ofHours(1))).expiresAt(expiresAt);
        if (caller.team() != null) {
            claims.claim("crosslink_team", caller.team());
        }
        return claims.jws().keyId("local").sign(signingKey);
    }

    /** The PEM file the services verify tokens with. */
    public Path publicKey() {
        return publicKey;
    }

    /** The token of {@code name} ({@code team-a}, {@code team-b}, {@code platform-admin}). */
    public String token(String name) {
        String token = tokens.get(name);
        if (token == null) {
            throw new IllegalArgumentException("no local token for " + name + "; callers: " + CALLERS.keySet());
        }
        return token;
    }

    /**
     * connect-service's verification settings for this issuer, and the demo policy its callers' teams are held to
     * (platform-admin names no team: the break-glass caller, to whom no policy applies).
     */
    public Map<String, String> verification() {
        return Map.of("mp.jwt.verify.issuer", ISSUER, "mp.jwt.verify.audiences", AUDIENCE,
                "mp.jwt.verify.publickey.location", publicKey.toAbsolutePath().toString(),
                "crosslink.policy.file", CrosslinkPaths.root().resolve(DEMO_POLICY).toString());
    }

    private static Map<String, Caller> callers() {
        Map<String, Caller> callers = new LinkedHashMap<>();
        callers.put("team-a", new Caller("alice@team-a.example", "team-a",
                Set.of("connections:request", "connections:read")));
        callers.put("team-b", new Caller("bob@team-b.example", "team-b",
                Set.of("connections:request", "connections:read")));
        callers.put("platform-admin", new Caller("carol@platform.example", null, Set.of("connections:admin")));
        return java.util.Collections.unmodifiableMap(callers);
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no RSA in this JDK", e);
        }
    }
}

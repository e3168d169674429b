package io.crosslink.connect.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.util.Set;

/**
 * How callers' bearer tokens are verified: the standard MicroProfile JWT settings, which quarkus-smallrye-jwt reads
 * itself, so any OIDC provider can issue the tokens. Mapped here only to make them required: smallrye-jwt would start
 * without them (and, without an issuer, accept any issuer's token signed by the key). No defaults in {@code %prod}: a
 * service without them refuses to start, before it touches its database, naming each missing setting
 * ({@code SRCFG00014: The config property mp.jwt.verify.issuer is required ...}).
 */
@ConfigMapping(prefix = "mp.jwt.verify")
public interface TokenConfig {

    /** The {@code iss} every token must carry, e.g. {@code https://keycloak.example.com/realms/platform}. */
    String issuer();

    /** Tokens must name one of these in {@code aud}: {@code crosslink}. */
    Set<String> audiences();

    /** The issuer's public key: a PEM or JWK(S) file, or a JWKS URL (fetched and refreshed by smallrye-jwt). */
    @WithName("publickey.location")
    String publicKeyLocation();
}

package io.crosslink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local issuer's tokens verify with the public key it wrote, and carry what connect-service authorizes by. */
class LocalTokensTest {
    @TempDir
    Path dir;

    @Test
    void eachCallersTokenIsSignedByTheWrittenKeyAndNamesItsTeamAndRoles() throws Exception {
        LocalTokens tokens = LocalTokens.issue(dir, Duration.ofHours(1));
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder()
                .decode(Files.readString(tokens.publicKey()).replaceAll("-----[A-Z ]+-----", ""))));

        JsonNode teamA = verifiedClaims(tokens.token("team-a"), key);
        assertEquals(LocalTokens.ISSUER, teamA.path("iss").asText());
        assertEquals(LocalTokens.AUDIENCE, teamA.path("aud").isArray() ? teamA.path("aud").get(0).asText()
                : teamA.path("aud").asText());
        assertEquals("team-a", teamA.path("crosslink_team").asText());
        assertTrue(teamA.path("groups").toString().contains("connections:request"), teamA.toString());
        long expires = teamA.path("exp").asLong();
        assertTrue(expires > Instant.now().getEpochSecond() && expires <= Instant.now().plusSeconds(3600).getEpochSecond());

        JsonNode admin = verifiedClaims(tokens.token("platform-admin"), key);
        assertFalse(admin.has("crosslink_team"), "an administrator belongs to no team");
        assertTrue(admin.path("groups").toString().contains("connections:admin"));

        Path file = dir.resolve("tokens/team-b.jwt");
        assertEquals(tokens.token("team-b"), Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertThrows(IllegalArgumentException.class, () -> tokens.token("nobody"));
        assertEquals(tokens.publicKey().toAbsolutePath().toString(), tokens.verification().get("mp.jwt.verify.publickey.location"));
    }

    @Test
    void aTokenOfAnotherRunDoesNotVerifyWithThisRunsKey() throws Exception {
        LocalTokens first = LocalTokens.issue(dir.resolve("one"), Duration.ofHours(1));
        LocalTokens second = LocalTokens.issue(dir.resolve("two"), Duration.ofHours(1));
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder()
                .decode(Files.readString(second.publicKey()).replaceAll("-----[A-Z ]+-----", ""))));
        assertThrows(AssertionError.class, () -> verifiedClaims(first.token("team-a"), key));
    }

    private static JsonNode verifiedClaims(String token, PublicKey key) throws Exception {
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, token);
        JsonNode header = EventCodec.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertEquals("RS256", header.path("alg").asText());
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])), "signature");
        return EventCodec.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
    }
}

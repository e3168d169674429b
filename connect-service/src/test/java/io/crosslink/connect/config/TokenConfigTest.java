package io.crosslink.connect.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The token settings a service refuses to start without, each named. */
class TokenConfigTest {

    @Test
    void withoutIssuerAndKeyTheConfigurationIsRefusedNamingBoth() {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> config(Map.of("mp.jwt.verify.audiences", "crosslink")));

        assertTrue(refused.getMessage().contains("mp.jwt.verify.issuer"), refused.getMessage());
        assertTrue(refused.getMessage().contains("mp.jwt.verify.publickey.location"), refused.getMessage());
    }

    @Test
    void anEmptyValueIsNoValue() {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> config(Map.of("mp.jwt.verify.issuer", "", "mp.jwt.verify.audiences", "crosslink",
                        "mp.jwt.verify.publickey.location", "/etc/crosslink/issuer.pem")));

        assertTrue(refused.getMessage().contains("mp.jwt.verify.issuer"), refused.getMessage());
    }

    @Test
    void issuerAudienceAndKeyLocationAreEnough() {
        TokenConfig config = config(Map.of("mp.jwt.verify.issuer", "https://idp.example/realms/platform",
                "mp.jwt.verify.audiences", "crosslink",
                "mp.jwt.verify.publickey.location", "https://idp.example/realms/platform/protocol/openid-connect/certs"))
                .getConfigMapping(TokenConfig.class);

        assertEquals("https://idp.example/realms/platform", config.issuer());
        assertEquals(Set.of("crosslink"), config.audiences());
        assertEquals("https://idp.example/realms/platform/protocol/openid-connect/certs", config.publicKeyLocation());
    }

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(TokenConfig.class).withDefaultValues(values).build();
    }
}

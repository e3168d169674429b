package io.crosslink.connect.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The token issuer of the tests ({@link TestTokens}): its issuer and the file of its public key, generated once per
 * test JVM. The audience is the service's own setting ({@code crosslink}).
 *
 * <pre>{@code @QuarkusTestResource(JwtTestResource.class)}</pre>
 */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.jwt.verify.issuer", TestTokens.ISSUER,
                "mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
    }

    @Override
    public void stop() {
        // The key pair is the JVM's: its files go when it exits.
    }
}

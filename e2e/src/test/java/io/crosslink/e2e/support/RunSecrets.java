package io.crosslink.e2e.support;

import io.crosslink.deploy.LocalTokens;
import io.crosslink.deploy.ServiceWiring;
import io.crosslink.deploy.SimDeployment;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.runtime.secret.SecretBox;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets of an e2e run that must never show in plaintext, each with a printable label (failure messages say
 * where and which, never the value): the run's data keys, Cloud API keys, Elasticsearch passwords and bearer tokens
 * (whole, and their signatures), plus every encoded API key added with {@link #addKey}, and its secret half.
 */
public final class RunSecrets {
    private final Map<String, String> labelled = new LinkedHashMap<>();
    private final SecretBox box;

    public RunSecrets(E2eStack stack) {
        box = SecretBox.fromBase64(stack.dataKey());
        stack.dataKeys().forEach(key -> labelled.put(key, "a data key of the run"));
        ServiceWiring.DEV_API_KEYS.forEach((environment, key) -> labelled.put(key, "the Cloud API key of " + environment));
        for (SimDeployment deployment : stack.deployments()) {
            labelled.put(deployment.password(), "the Elasticsearch password of " + deployment.name());
        }
        for (String caller : LocalTokens.CALLERS.keySet()) {
            String token = stack.tokens().token(caller);
            labelled.put(token, "the bearer token of " + caller);
            labelled.put(token.substring(token.lastIndexOf('.') + 1), "the signature of " + caller + "'s token");
        }
    }

    /**
     * Opens the sealed key of {@code created} with the run's data key, the way trust-service learns it, and adds the
     * encoded key and its secret half. Returns the key's {@code id:secret}, for the caller to check.
     */
    public String addKey(KeyCreated created) {
        String encoded = box.open(created.encodedKey(), created.connectionId());
        String idAndSecret = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        labelled.put(encoded, "the encoded key of connection " + created.connectionId());
        labelled.put(idAndSecret.substring(created.keyId().length() + 1), "the API key secret of connection "
                + created.connectionId());
        return idAndSecret;
    }

    /** Each secret, with its label. */
    public Map<String, String> labelled() {
        return labelled;
    }
}

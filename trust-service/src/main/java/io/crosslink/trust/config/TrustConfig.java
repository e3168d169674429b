package io.crosslink.trust.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * How trust-service reaches Elastic: the Cloud API of each environment (the keystore of L is changed through
 * it) and the data key that opens the encoded keys key-service sealed. Secrets here stay in configuration:
 * never stored, logged or sent anywhere but to the Cloud API they belong to.
 */
@ConfigMapping(prefix = "crosslink")
public interface TrustConfig {

    /** Cloud API per environment name ({@code crosslink.environments.<name>.url|api-key}), e.g. ece, ess. */
    Map<String, Environment> environments();

    Secrets secrets();

    Elastic elastic();

    interface Environment {
        /** Base URL (http or https); {@code /api/v1/...} is appended. */
        String url();

        /** Sent as {@code Authorization: ApiKey <key>}. */
        String apiKey();
    }

    interface Secrets {
        /** Base64 of 32 random bytes, shared with key-service. */
        String dataKey();
    }

    interface Elastic {
        @WithDefault("5s")
        Duration connectTimeout();

        /** One HTTP request; the fault-tolerance @Timeout bounds a whole attempt. */
        @WithDefault("15s")
        Duration requestTimeout();
    }
}

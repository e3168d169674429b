package io.crosslink.trust.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * How trust-service reaches Elastic: the Cloud API of each environment (the keystore of L and, in the certificate
 * model, both deployments' trust settings are changed through it) and the data key that opens the encoded keys key-service sealed. Secrets here stay in configuration:
 * never stored, logged or sent anywhere but to the Cloud API they belong to.
 */
@ConfigMapping(prefix = "crosslink")
public interface TrustConfig {

    /** Cloud API per environment name ({@code crosslink.environments.<name>.url|api-key}), e.g. ece, ess. */
    Map<String, Environment> environments();

    Secrets secrets();

    Elastic elastic();

    /** The certificate model's trust step ({@code crosslink.trust.*}). */
    Trust trust();

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

    interface Trust {
        /**
         * How long to wait, after writing trust, until neither deployment reports a pending plan (trust changes are
         * plan changes on Elastic Cloud and ECE). The step blocks its channel meanwhile: keep it within the saga
         * deadline.
         */
        @WithDefault("5m")
        Duration planTimeout();

        /** Between two looks at the pending plan. */
        @WithDefault("2s")
        Duration planPollInterval();

        /** Read-modify-write attempts per deployment (a 409 from another writer or a transient failure each cost one). */
        @WithDefault("6")
        int writeAttempts();

        /** First wait between attempts; doubles, with jitter, at least what Retry-After asks. */
        @WithDefault("1s")
        Duration writeRetryDelay();
    }
}

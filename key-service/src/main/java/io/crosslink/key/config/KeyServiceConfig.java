package io.crosslink.key.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What key-service needs to reach Elastic: per deployment a direct Elasticsearch URL and a user (creating a
 * cross-cluster API key needs a user; Elasticsearch refuses API-key callers), the data key that seals
 * encoded keys for trust-service, how its work items retry transient failures, and how long before its undo
 * chain's deadline the undo stops retrying.
 */
@ConfigMapping(prefix = "crosslink")
public interface KeyServiceConfig {

    /** By deployment id: {@code crosslink.deployments.<deploymentId>.elasticsearch-url}, ... */
    Map<String, DeploymentAccess> deployments();

    Secrets secrets();

    Key key();

    Saga saga();

    interface DeploymentAccess {
        /** The deployment's Elasticsearch endpoint (Cloud's service_url); http or https. */
        URI elasticsearchUrl();

        String username();

        String password();

        /**
         * A TLS configuration of the Quarkus TLS registry ({@code quarkus.tls.<name>.*}) for an endpoint whose
         * certificate is from its own CA; absent: the JVM's trust store.
         */
        Optional<String> tlsConfigurationName();
    }

    interface Secrets {
        /**
         * The keyring ({@code crosslink.secrets.data-keys}, env {@code CROSSLINK_SECRETS_DATA_KEYS}): base64 of 32
         * random bytes each, comma-separated, the same keys as trust-service's. The first key seals, every key opens
         * (SecretBox). No default: a service without it refuses to start, naming it.
         */
        List<String> dataKeys();
    }

    /**
     * The work items' retries of transient failures: a run that fails transiently parks its item for
     * {@code backoff}, doubling per run up to {@code max-backoff} (plus up to 20 % jitter, at least a
     * {@code Retry-After} up to {@code max-retry-after}); after the retries the failure is announced.
     */
    interface Key {
        /** Runs of {@code create-key} after the first, then KeyCreationFailed (retryable). */
        @WithDefault("10")
        int createRetries();

        /**
         * Whole creation attempts repeated at once within one run after a transient failure that is neither a
         * timeout nor carries {@code Retry-After} (an attempt looks up and invalidates what an earlier one may have
         * made, so repeating it is safe); then the item parks.
         */
        @WithDefault("2")
        int quickRepeats();

        /** Runs of {@code invalidate-keys} after the first, then KeyInvalidationFailed (retryable). */
        @WithDefault("5")
        int invalidateRetries();

        @WithDefault("500ms")
        Duration backoff();

        @WithDefault("8s")
        Duration maxBackoff();

        @WithDefault("60s")
        Duration maxRetryAfter();
    }

    /** The part of the saga's settings key-service reads (the same keys in every service). */
    interface Saga {
        /**
         * An undo whose chain carries a deadline retries transient failures until this long before it (UndoBudget),
         * keeping the time for the final read of R and the report; the default is UndoBudget.DEFAULT_REPORT_MARGIN.
         */
        @WithDefault("60s")
        Duration undoReportMargin();
    }
}

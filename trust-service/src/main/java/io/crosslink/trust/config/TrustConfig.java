package io.crosslink.trust.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How trust-service reaches Elastic: the Cloud API of each environment (the keystore of L and, in the certificate
 * model, both deployments' trust settings are changed through it) and the data key that opens the encoded keys key-service sealed. Secrets here stay in configuration:
 * never stored, logged or sent anywhere but to the Cloud API they belong to.
 */
@ConfigMapping(prefix = "crosslink")
public interface TrustConfig {

    /** Cloud API per environment name ({@code crosslink.environments.<name>.url|api-key}), e.g. ece, ess. */
    Map<String, Environment> environments();

    /**
     * Direct Elasticsearch access per deployment id ({@code crosslink.deployments.<id>.elasticsearch-url|username|
     * password|tls-configuration-name}); strong identity lists L's signing CA in R's cluster settings through it.
     * Optional: empty when no connection asks for strong identity.
     */
    Map<String, Deployment> deployments();

    Secrets secrets();

    /** The certificate model's trust step ({@code crosslink.trust.*}). */
    Trust trust();

    /** How work items retry a transient Cloud API failure ({@code crosslink.retry.*}): by parking, never waiting. */
    Retry retry();

    /** The saga's settings shared by every service ({@code crosslink.saga.*}); this service reads the undo's. */
    Saga saga();

    /** Strong identity ({@code crosslink.strong-identity.*}). */
    StrongIdentityTrust strongIdentity();

    interface Environment {
        /** Base URL (http or https); {@code /api/v1/...} is appended. */
        String url();

        /** Sent as {@code Authorization: ApiKey <key>}. */
        String apiKey();

        /**
         * A TLS configuration of the Quarkus TLS registry ({@code quarkus.tls.<name>.*}) for a Cloud API whose
         * certificate is from its own CA (a real ECE on 12443); absent: the JVM's trust store.
         */
        Optional<String> tlsConfigurationName();
    }

    interface Deployment {
        /** The deployment's Elasticsearch URL (its {@code service_url}). */
        String elasticsearchUrl();

        String username();

        /** A secret: sent as basic auth to this deployment only, never logged or stored. */
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
         * random bytes each, comma-separated, the same keys as key-service's. The first key seals, every key opens
         * (SecretBox). No default: a service without it refuses to start, naming it.
         */
        List<String> dataKeys();
    }

    interface Trust {
        /**
         * How long the plan wait may last, after writing trust, until neither deployment reports a pending plan (trust
         * changes are plan changes on Elastic Cloud and ECE). The work item parks between looks, holding nothing;
         * keep it within the saga deadline.
         */
        @WithDefault("5m")
        Duration planTimeout();

        /** How long the work item parks between two looks at the pending plans. */
        @WithDefault("2s")
        Duration planPollInterval();

        /**
         * Read-modify-write attempts per deployment within one run when another writer came first (409: read again
         * at once); beyond them the work item parks like after a transient failure.
         */
        @WithDefault("6")
        int writeAttempts();
    }

    interface Saga {
        /**
         * How long before its undo chain's deadline an undo stops retrying, to read the real state and report in time
         * (the same key in every service). An undo whose chain carries no deadline counts {@code retry.attempts}.
         */
        @WithDefault("60s")
        Duration undoReportMargin();
    }

    interface Retry {
        /** Runs of a work item on transient Cloud API failures before its failure event is emitted. */
        @WithDefault("10")
        int attempts();

        /** The first park after a transient failure; doubles, with jitter, and is at least what Retry-After asks. */
        @WithDefault("1s")
        Duration backoff();

        /** The longest park after a transient failure. */
        @WithDefault("15s")
        Duration maxBackoff();
    }

    interface StrongIdentityTrust {
        /**
         * CA paths (on R's nodes, relative to the config folder) kept in every write of R's
         * {@code cluster.remote.signing.certificate_authorities}: Elasticsearch hides the setting from reads, so
         * Crosslink writes its whole value. Empty by default.
         */
        Optional<List<String>> keptCertificateAuthorities();
    }
}

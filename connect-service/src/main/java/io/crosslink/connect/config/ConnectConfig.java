package io.crosslink.connect.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How connect-service reaches Elastic and paces its background work. Environments are the Cloud APIs
 * requests name ({@code local.environment}); deployments are the ones whose Elasticsearch it calls directly
 * (the local side, to register remotes). Secrets here stay in configuration: never stored, logged or sent.
 */
@ConfigMapping(prefix = "crosslink")
public interface ConnectConfig {

    /** Cloud API per environment name, e.g. {@code ece}, {@code ess}. */
    Map<String, Environment> environments();

    /** Direct Elasticsearch access per deployment id. */
    Map<String, Deployment> deployments();

    Work work();

    Remote remote();

    Saga saga();

    StrongIdentityFiles strongIdentity();

    interface Environment {
        /** Base URL; {@code /api/v1/...} is appended. */
        String url();

        /** Sent as {@code Authorization: ApiKey <key>}. */
        String apiKey();

        /**
         * {@code ECE} (an ECE installation) or {@code ESS} (an Elastic Cloud organization), for the certificate model:
         * it decides where the account id comes from and the default transport port. Absent: a deployment that
         * reports {@code metadata.organization_id} is ESS, any other ECE.
         */
        Optional<EnvironmentKind> kind();

        /**
         * A TLS configuration of the Quarkus TLS registry ({@code quarkus.tls.<name>.*}) for an endpoint whose
         * certificate is from its own CA (a real ECE's Cloud API on 12443); absent: the JVM's trust store.
         */
        Optional<String> tlsConfigurationName();
    }

    /** The kinds of Cloud API environment. */
    enum EnvironmentKind {
        ECE(9300),
        ESS(9400);

        private final int transportPort;

        EnvironmentKind(int transportPort) {
            this.transportPort = transportPort;
        }

        /** The port remotes reach a deployment's transport on when it reports none (ECE 9300, ESS proxies 9400). */
        public int transportPort() {
            return transportPort;
        }
    }

    interface Deployment {
        /** The deployment's Elasticsearch URL (its {@code service_url}). */
        String elasticsearchUrl();

        String username();

        String password();

        /**
         * A TLS configuration of the Quarkus TLS registry ({@code quarkus.tls.<name>.*}) for an endpoint whose
         * certificate is from its own CA (a real ECE's Cloud API on 12443); absent: the JVM's trust store.
         */
        Optional<String> tlsConfigurationName();
    }

    /** Connect-service's steps; the work mechanism's own settings are {@code crosslink.work.*} (saga-runtime). */
    interface Work {
        /** Transient failures a remote registration survives before it fails the connection. */
        @WithDefault("10")
        int registrationAttempts();

        /** Transient failures the removal of a remote survives before RemoteRemovalFailed. */
        @WithDefault("10")
        int removalAttempts();
    }

    interface Saga {
        /**
         * How long after acceptance a connection may take to reach VERIFIED. Past it, a saga that started is
         * compensated (cause deadline); one still in its Cloud API checks is REJECTED.
         */
        @WithDefault("5m")
        Duration deadline();

        /**
         * How long an undo chain may take from its start. Past it, the links that never reported (their service
         * down, their record dead-lettered) are possible leftovers and the connection ends FAILED (UndoDeadlinePassed).
         */
        @WithDefault("15m")
        Duration undoDeadline();

        /**
         * How long before the undo deadline an undo stops retrying, to read the real state and report in time (the
         * same key in every service).
         */
        @WithDefault("60s")
        Duration undoReportMargin();

        /** How often overdue connections are looked for. */
        @WithDefault("2s")
        Duration deadlineScan();
    }

    interface Remote {
        /** Port of the remote cluster server on R ({@code proxy_address = endpoint:port}): 9443 on ESS and ECE. */
        @WithDefault("9443")
        int clusterPort();
    }

    /**
     * Strong identity (9.3+): where the files are on the nodes, relative to their config folder. The defaults are
     * Elastic Cloud Hosted's: every node holds its certificate and key ({@code node.crt}, {@code node.key}) and the CA
     * that issued them ({@code internal_tls_ca.crt}, one per region). For a local deployment in another region, R
     * trusts L's CA only through an uploaded bundle: point {@code certificate-authority} at its path on R.
     */
    interface StrongIdentityFiles {
        /** On L: {@code cluster.remote.<alias>.signing.certificate}. */
        @WithDefault("node.crt")
        String signingCertificate();

        /** On L: {@code cluster.remote.<alias>.signing.key}. */
        @WithDefault("node.key")
        String signingKey();

        /** On R: the entry of {@code cluster.remote.signing.certificate_authorities} for L's CA. */
        @WithDefault("internal_tls_ca.crt")
        String certificateAuthority();
    }
}

package io.crosslink.cloudsim.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The environments cloud-sim plays and the deployments (each a real Elasticsearch node) in them. */
@ConfigMapping(prefix = "sim")
public interface SimConfig {

    /** Reaper stack name: processes of one stack never reap another's ("local", "test-...") . */
    @WithDefault("local")
    String stack();

    /** Where nodes keep their config, data, keystore and certificates. */
    String workDir();

    /** Start the nodes at startup (off only for tests of the API shape without Elasticsearch). */
    @WithDefault("true")
    boolean startNodes();

    /** Heap of each node. */
    @WithDefault("512m")
    String heap();

    /** Delay before a keystore change is reloaded, reproducing the asynchronous reload of Elastic Cloud. */
    @WithDefault("0s")
    Duration keystoreReloadDelay();

    /**
     * Keystore changes through one long-lived helper process per node (Elasticsearch's KeyStoreWrapper on the node's
     * Java); false: one {@code elasticsearch-keystore} run (a new JVM, 1-2 s) per change, as before.
     */
    @WithDefault("true")
    boolean keystoreHelper();

    /**
     * The helper writes the keystore with the salt and key of the file it read instead of deriving a new key on every
     * save (PBKDF2, ~0.2 s); false: Elasticsearch's own save.
     */
    @WithDefault("true")
    boolean keystoreFastSave();

    /**
     * How long a trust update shows as a pending plan: long enough for Elasticsearch's file watcher
     * ({@code resource.reload.interval.high}, 2 s on the sim's nodes) to have reloaded the trust files.
     */
    @WithDefault("3s")
    Duration trustPlanDuration();

    /** Seed of the random numbers that decide faults with a probability; unset: a new seed every run. */
    Optional<Long> faultSeed();

    /** Port of each deployment's Elasticsearch pass-through (the deployment's service_url), on the node's address. */
    @WithDefault("9243")
    int passthroughPort();

    Map<String, EnvironmentConfig> environments();

    /** Keyed by a short name used for the node's folder ("local", "remote"). */
    Map<String, DeploymentConfig> deployments();

    interface EnvironmentConfig {
        EnvironmentKind kind();

        /** The value callers send as {@code Authorization: ApiKey <key>}. */
        String apiKey();

        /** ECE installation id or Elastic Cloud organization id: the trust "account" of the environment. */
        String accountId();

        /** Domain in certificate names and trust restrictions ({@code node.<cluster id>.<domain>}). */
        String domain();

        String region();
    }

    interface DeploymentConfig {
        /** 32 lowercase hex characters, stable across runs. */
        String id();

        String name();

        /** Key of the environment in {@link SimConfig#environments()}. */
        String environment();

        String version();

        /** The node's own loopback address: the deployment's endpoint. */
        String address();

        /** 32 lowercase hex characters: the Elasticsearch resource id (cluster id). */
        String clusterId();

        @WithDefault("main-elasticsearch")
        String refId();

        /** An index with a few documents created at startup, for demos and probes. */
        Optional<String> seedIndex();
    }

    enum EnvironmentKind {
        /** Elastic Cloud Enterprise installation: transport on 9300, has the Elasticsearch proxy API. */
        ECE(9300),
        /** Elastic Cloud (ESS) organization: transport via the proxy port 9400. */
        ESS(9400);

        private final int transportPort;

        EnvironmentKind(int transportPort) {
            this.transportPort = transportPort;
        }

        public int transportPort() {
            return transportPort;
        }
    }
}

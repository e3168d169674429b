package io.crosslink.cloudsim.domain;

import io.crosslink.cloudsim.config.SimConfig.DeploymentConfig;
import io.crosslink.cloudsim.config.SimConfig.EnvironmentConfig;
import io.crosslink.infra.ElasticsearchNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One simulated deployment with a single Elasticsearch resource, backed by a real node. Holds the
 * control-plane state the Cloud API shows about it; the node holds everything else.
 */
public final class SimDeployment {
    private final String key;
    private final DeploymentConfig config;
    private final String environmentName;
    private final EnvironmentConfig environment;
    private final Instant created = Instant.now();
    private final AtomicLong resourceVersion = new AtomicLong(1);
    /** Serializes keystore, settings and restart operations: the keystore file has no concurrent writers. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    /** Keystore entry name to its as_file flag; mirrors the node's real keystore. */
    private final Map<String, Boolean> keystore = new LinkedHashMap<>();
    private volatile List<RemoteClusterRef> managedRemotes = List.of();
    private volatile ElasticsearchNode node;
    private volatile String runningVersion;
    private volatile boolean restarting;
    private volatile Instant lastModified = created;
    /** Null until set: the default trust of the deployment's environment applies. */
    private volatile TrustSettings trust;
    private volatile Instant planPendingUntil = Instant.MIN;

    public SimDeployment(String key, DeploymentConfig config, String environmentName, EnvironmentConfig environment) {
        this.key = key;
        this.config = config;
        this.environmentName = environmentName;
        this.environment = environment;
    }

    public String key() {
        return key;
    }

    public String id() {
        return config.id();
    }

    public DeploymentConfig config() {
        return config;
    }

    public String environmentName() {
        return environmentName;
    }

    public EnvironmentConfig environment() {
        return environment;
    }

    public Instant created() {
        return created;
    }

    public long resourceVersion() {
        return resourceVersion.get();
    }

    public Instant lastModified() {
        return lastModified;
    }

    public void touch() {
        resourceVersion.incrementAndGet();
        lastModified = Instant.now();
    }

    public ReentrantLock writeLock() {
        return writeLock;
    }

    public Map<String, Boolean> keystore() {
        return keystore;
    }

    public List<RemoteClusterRef> managedRemotes() {
        return managedRemotes;
    }

    public void managedRemotes(List<RemoteClusterRef> remotes) {
        this.managedRemotes = List.copyOf(remotes);
    }

    /** The trust settings, or null for the environment's default. Written under {@link #writeLock()}. */
    public TrustSettings trust() {
        return trust;
    }

    public void trust(TrustSettings trust) {
        this.trust = trust;
    }

    /** A plan change (a trust update) is being applied: shown as {@code plan_info.pending} until then. */
    public boolean planPending() {
        return Instant.now().isBefore(planPendingUntil);
    }

    public void planPendingUntil(Instant until) {
        this.planPendingUntil = until;
    }

    public ElasticsearchNode node() {
        ElasticsearchNode current = node;
        if (current == null) {
            throw new IllegalStateException("the node of deployment " + config.name() + " is not running");
        }
        return current;
    }

    /**
     * The Elasticsearch version the node reported in {@code _nodes/_local} at its last start; the configured one
     * until the node has started.
     */
    public String runningVersion() {
        String current = runningVersion;
        return current == null ? config.version() : current;
    }

    public void runningVersion(String version) {
        this.runningVersion = version;
    }

    public boolean hasNode() {
        return node != null;
    }

    public void node(ElasticsearchNode node) {
        this.node = node;
    }

    public boolean restarting() {
        return restarting;
    }

    public void restarting(boolean restarting) {
        this.restarting = restarting;
    }

    /** The address callers use for transport and remote cluster connections, as Elastic Cloud's proxy host. */
    public String endpoint() {
        return config.address();
    }

    public int transportPort() {
        return environment.kind().transportPort();
    }

    /** The commonName SAN of the node certificate, matched by trust restrictions. */
    public String certificateCommonName() {
        return "node." + config.clusterId() + "." + environment.domain();
    }

    /** {@code *.<cluster id>.<domain>}: matches this deployment's nodes only. */
    public String recommendedTrustRestriction() {
        return "*." + config.clusterId() + "." + environment.domain();
    }
}

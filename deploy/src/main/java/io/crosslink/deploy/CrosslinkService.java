package io.crosslink.deploy;

import java.nio.file.Path;

/**
 * The four services: where their fast-jar is built, their port in the local run, their database, and which
 * parts of the Elastic access configuration each one needs.
 */
public enum CrosslinkService {
    /** Validates (Cloud API), registers the remote on L (Elasticsearch), tracks status. */
    CONNECT("connect-service", 8080, "connect", true, true, false),
    /** Creates the cross-cluster API key on R (Elasticsearch); seals it with the data key. */
    KEY("key-service", 8081, "key", false, true, true),
    /**
     * Opens the sealed key and puts it in L's keystore (Cloud API); strong identity: lists L's signing CA in R's
     * cluster settings (Elasticsearch).
     */
    TRUST("trust-service", 8082, "trust", true, true, true),
    /** Proves the connection on L (Elasticsearch). */
    VERIFY("verify-service", 8083, "verify", false, true, false);

    private final String module;
    private final int localPort;
    private final String database;
    private final boolean needsEnvironments;
    private final boolean needsDeployments;
    private final boolean needsDataKey;

    CrosslinkService(String module, int localPort, String database, boolean needsEnvironments, boolean needsDeployments,
            boolean needsDataKey) {
        this.module = module;
        this.localPort = localPort;
        this.database = database;
        this.needsEnvironments = needsEnvironments;
        this.needsDeployments = needsDeployments;
        this.needsDataKey = needsDataKey;
    }

    /** The module and process name, e.g. {@code key-service}. */
    public String module() {
        return module;
    }

    /** Its port in the local run (tests use free ports). */
    public int localPort() {
        return localPort;
    }

    /** The port of its {@code instance}-th instance (0 = the first) in the local run: 8080, 8180, 8280, ... */
    public int localPort(int instance) {
        return localPort + 100 * instance;
    }

    /**
     * The management interface's port (metrics) of an instance on HTTP port {@code port}: 1000 above it in the local
     * run (9080 for connect-service's 8080, 9180 for its second instance), a free one when the HTTP port is (0).
     */
    public static int managementPortFor(int port) {
        return port == 0 ? 0 : port + 1000;
    }

    /**
     * The process name (config and log file) of its {@code instance}-th instance: the module for the first (0), so one
     * instance looks as it always did, {@code key-service-2} for the second.
     */
    public String instanceName(int instance) {
        if (instance < 0) {
            throw new IllegalArgumentException("instance " + instance);
        }
        return instance == 0 ? module : module + "-" + (instance + 1);
    }

    /** The Kafka consumer group of all its incoming channels ({@code group.id} in its application.properties). */
    public String consumerGroup() {
        return module;
    }

    public String database() {
        return database;
    }

    /** Cloud API access: {@code crosslink.environments.<env>.url|api-key}. */
    public boolean needsEnvironments() {
        return needsEnvironments;
    }

    /** Direct Elasticsearch access: {@code crosslink.deployments.<id>.elasticsearch-url|username|password}. */
    public boolean needsDeployments() {
        return needsDeployments;
    }

    /** The keyring {@code crosslink.secrets.data-keys} (seals or opens encoded keys). */
    public boolean needsDataKey() {
        return needsDataKey;
    }

    public Path jar(Path root) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}

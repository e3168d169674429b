package io.crosslink.cloudsim.service;

import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.config.SimConfig.DeploymentConfig;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.infra.ElasticsearchNode;
import io.crosslink.infra.ProcessReaper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** The deployments cloud-sim plays; starts and stops their real Elasticsearch nodes. */
@ApplicationScoped
public class DeploymentRegistry {
    private static final Logger LOG = Logger.getLogger(DeploymentRegistry.class);
    private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{32}");
    private static final int HTTP_PORT = 9200;
    private static final int REMOTE_CLUSTER_PORT = 9443;

    private final SimConfig config;
    private final KeystoreService keystores;
    private final Map<String, SimDeployment> byId = new LinkedHashMap<>();
    private ProcessReaper reaper;

    public DeploymentRegistry(SimConfig config, KeystoreService keystores) {
        this.config = config;
        this.keystores = keystores;
        // In address order (local, remote, peer): the configuration map has none, listings should be stable.
        config.deployments().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, DeploymentConfig> entry) -> entry.getValue().address())
                        .thenComparing(Map.Entry::getKey))
                .forEach(entry -> byId.put(entry.getValue().id(), create(entry.getKey(), entry.getValue())));
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (!config.startNodes()) {
            return;
        }
        reaper = ProcessReaper.forStack(config.stack());
        long started = System.nanoTime();
        // One thread per node: each start mostly waits for its JVM, and the common pool may be smaller than the nodes.
        forEachInParallel(byId.values(), deployment -> deployment.node(startNode(deployment)));
        LOG.infof("%d Elasticsearch nodes up in %.1f s", byId.size(), (System.nanoTime() - started) / 1e9);
    }

    void onStop(@Observes ShutdownEvent event) {
        forEachInParallel(byId.values().stream().filter(SimDeployment::hasNode).toList(), d -> d.node().stop());
    }

    private static void forEachInParallel(Collection<SimDeployment> deployments, Consumer<SimDeployment> action) {
        if (deployments.isEmpty()) {
            return;
        }
        ExecutorService threads = Executors.newFixedThreadPool(deployments.size());
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (SimDeployment deployment : deployments) {
                all.add(CompletableFuture.runAsync(() -> action.accept(deployment), threads));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
    }

    public Collection<SimDeployment> all() {
        return byId.values();
    }

    /** The deployment if it exists in the caller's environment: other environments' deployments are invisible. */
    public SimDeployment find(String environment, String deploymentId) {
        SimDeployment deployment = byId.get(deploymentId);
        if (deployment == null || !deployment.environmentName().equals(environment)) {
            throw CloudApiException.deploymentNotFound(deploymentId);
        }
        return deployment;
    }

    /** Any environment's deployment, for references the sim itself holds (a managed remote). */
    public SimDeployment byId(String deploymentId) {
        SimDeployment deployment = byId.get(deploymentId);
        if (deployment == null) {
            throw CloudApiException.deploymentNotFound(deploymentId);
        }
        return deployment;
    }

    /** The deployment's Elasticsearch resource by ref id ({@code _main} names the only one). */
    public SimDeployment findElasticsearch(String environment, String deploymentId, String refId) {
        SimDeployment deployment = find(environment, deploymentId);
        if (!refId.equals(deployment.config().refId()) && !refId.equals("_main")) {
            throw CloudApiException.resourceNotFound(deploymentId, refId);
        }
        return deployment;
    }

    public List<SimDeployment> inEnvironment(String environment) {
        return byId.values().stream().filter(d -> d.environmentName().equals(environment)).toList();
    }

    /** Stops and starts a deployment's node, as a plan change does; the deployment shows a pending plan meanwhile. */
    public void restart(SimDeployment deployment) {
        deployment.writeLock().lock();
        deployment.restarting(true);
        try {
            deployment.node().restart();
            deployment.runningVersion(deployment.node().runningVersion());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deployment.restarting(false);
            deployment.touch();
            deployment.writeLock().unlock();
        }
    }

    private ElasticsearchNode startNode(SimDeployment deployment) {
        DeploymentConfig c = deployment.config();
        ElasticsearchNode.Config nodeConfig = new ElasticsearchNode.Config(deployment.key(), c.version(), c.address(),
                HTTP_PORT, deployment.transportPort(), REMOTE_CLUSTER_PORT, deployment.certificateCommonName(),
                Path.of(config.workDir()).resolve(deployment.key()), config.heap());
        try {
            ElasticsearchNode node = ElasticsearchNode.start(nodeConfig, reaper);
            deployment.runningVersion(node.runningVersion());
            // Starts the node's keystore helper too (a few hundred ms, beside the other nodes' starts).
            keystores.nodeStarted(deployment, node).forEach(name -> deployment.keystore().put(name, false));
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the node of deployment " + c.name(), e);
        }
    }

    private SimDeployment create(String key, DeploymentConfig deployment) {
        SimConfig.EnvironmentConfig environment = config.environments().get(deployment.environment());
        if (environment == null) {
            throw new IllegalArgumentException("sim.deployments." + key + ".environment: unknown environment ["
                    + deployment.environment() + "], configured: " + config.environments().keySet());
        }
        for (String id : List.of(deployment.id(), deployment.clusterId())) {
            if (!HEX_32.matcher(id).matches()) {
                throw new IllegalArgumentException("sim.deployments." + key + ": [" + id + "] is not 32 lowercase hex characters");
            }
        }
        return new SimDeployment(key, deployment, deployment.environment(), environment);
    }
}

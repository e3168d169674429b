package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.crosslink.cloudsim.keystore.KeystoreHelper;
import io.crosslink.infra.CrosslinkPaths;
import io.crosslink.infra.ElasticsearchNode;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The Cloud API keystore: a partial update of the node's real keystore followed by a secure-settings
 * reload, which on Elastic Cloud happens asynchronously (the configurable reload delay reproduces it).
 *
 * <p>Changes go through the node's keystore helper ({@link KeystoreHelper}: one long-lived JVM per node running
 * Elasticsearch's KeyStoreWrapper), a few milliseconds each. When the helper cannot be started, or fails twice in a
 * row, they fall back to {@code elasticsearch-keystore} (a JVM per change, 1-2 s), with a warning; a new helper is
 * tried again {@value #RETRY_SECONDS} s later. Values never reach a log or a command line.
 */
@ApplicationScoped
public class KeystoreService {
    private static final Logger LOG = Logger.getLogger(KeystoreService.class);
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_\\-.]+");
    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);
    private static final long RETRY_SECONDS = 30;

    private final Duration reloadDelay;
    private final boolean helperEnabled;
    private final boolean fastSave;
    private final Map<String, HelperSlot> helpers = new ConcurrentHashMap<>();
    /** Per deployment: its reloads run one at a time (see {@link #reload}). */
    private final Map<String, Object> reloadLocks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "keystore-reload");
        thread.setDaemon(true);
        return thread;
    });

    /** One deployment's helper; guarded by itself. */
    private static final class HelperSlot {
        KeystoreHelper helper;
        Instant retryAfter = Instant.MIN;
    }

    public KeystoreService(SimConfig config) {
        this.reloadDelay = config.keystoreReloadDelay();
        this.helperEnabled = config.keystoreHelper();
        this.fastSave = config.keystoreFastSave();
    }

    void onStop(@Observes ShutdownEvent event) {
        reloads.shutdownNow();
        for (HelperSlot slot : helpers.values()) {
            synchronized (slot) {
                if (slot.helper != null) {
                    slot.helper.close();
                    slot.helper = null;
                }
            }
        }
    }

    /** Once a node is up: starts its keystore helper and answers the keystore's entry names (without keystore.seed). */
    public List<String> nodeStarted(SimDeployment deployment, ElasticsearchNode node) throws IOException {
        KeystoreHelper helper = helper(deployment, node);
        if (helper != null) {
            try {
                return helper.list();
            } catch (IOException e) {
                LOG.warnf("keystore helper of %s cannot list the keystore, using elasticsearch-keystore: %s",
                        deployment.config().name(), e.getMessage());
            }
        }
        return node.keystoreEntries();
    }

    public Map<String, Boolean> contents(SimDeployment deployment) {
        deployment.writeLock().lock();
        try {
            return new LinkedHashMap<>(deployment.keystore());
        } finally {
            deployment.writeLock().unlock();
        }
    }

    /** Applies {@code {"secrets":{name:{value,as_file}}}}; an entry without a value is removed. */
    public Map<String, Boolean> patch(SimDeployment deployment, JsonNode body) {
        Map<String, Change> changes = parse(body);
        for (Map.Entry<String, Change> entry : changes.entrySet()) {
            String value = entry.getValue().value();
            if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
                // As elasticsearch-keystore add --stdin (one value per line); a 500, as it always was.
                throw new IllegalArgumentException("keystore value of " + entry.getKey() + " must be a single line");
            }
        }
        deployment.writeLock().lock();
        long started = System.nanoTime();
        String via;
        try {
            via = write(deployment, changes);
            for (Map.Entry<String, Change> entry : changes.entrySet()) {
                if (entry.getValue().value() == null) {
                    deployment.keystore().remove(entry.getKey());
                } else {
                    deployment.keystore().put(entry.getKey(), entry.getValue().asFile());
                }
            }
            deployment.touch();
        } catch (IOException e) {
            LOG.errorf("keystore update of %s failed: %s", deployment.config().name(), e.getMessage());
            throw new CloudApiException(500, "deployments.metadata_internal_error",
                    "The keystore of the deployment could not be updated.");
        } finally {
            deployment.writeLock().unlock();
        }
        LOG.infof("keystore of %s: %d change(s) applied in %d ms (%s)", deployment.config().name(), changes.size(),
                (System.nanoTime() - started) / 1_000_000, via);
        reload(deployment);
        return contents(deployment);
    }

    /** The running helper of a deployment's node, if any (tests, diagnostics); never starts one. */
    public Optional<KeystoreHelper> runningHelper(SimDeployment deployment) {
        HelperSlot slot = helpers.get(deployment.id());
        if (slot == null) {
            return Optional.empty();
        }
        synchronized (slot) {
            return Optional.ofNullable(slot.helper).filter(KeystoreHelper::isAlive);
        }
    }

    /** Writes the changes to the node's keystore; answers how ("helper" or "elasticsearch-keystore"). */
    private String write(SimDeployment deployment, Map<String, Change> changes) throws IOException {
        if (changes.isEmpty()) {
            return "nothing to write";
        }
        Map<String, String> values = new LinkedHashMap<>();
        changes.forEach((name, change) -> values.put(name, change.value()));
        ElasticsearchNode node = deployment.node();
        for (int attempt = 1; attempt <= 2; attempt++) {
            KeystoreHelper helper = helper(deployment, node);
            if (helper == null) {
                break;
            }
            try {
                helper.apply(values);
                return "helper";
            } catch (KeystoreHelper.RefusedException e) {
                // Elasticsearch refused it: elasticsearch-keystore decides, as it did before the helper.
                LOG.warnf("%s; trying elasticsearch-keystore", e.getMessage());
                break;
            } catch (IOException e) {
                // The helper died or hung (it was killed): the request is idempotent, a new helper tries again.
                LOG.warnf("keystore helper of %s failed (attempt %d): %s", deployment.config().name(), attempt, e.getMessage());
            }
        }
        for (Map.Entry<String, String> change : values.entrySet()) {
            if (change.getValue() == null) {
                node.removeKeystoreEntry(change.getKey());
            } else {
                node.addKeystoreEntry(change.getKey(), change.getValue());
            }
        }
        return "elasticsearch-keystore";
    }

    /** The node's live helper, started (again) when needed; null: use elasticsearch-keystore for now. */
    private KeystoreHelper helper(SimDeployment deployment, ElasticsearchNode node) {
        if (!helperEnabled) {
            return null;
        }
        HelperSlot slot = helpers.computeIfAbsent(deployment.id(), id -> new HelperSlot());
        synchronized (slot) {
            if (slot.helper != null && slot.helper.isAlive()) {
                return slot.helper;
            }
            if (slot.helper != null) {
                LOG.warnf("keystore helper of %s (pid %d) is gone: starting a new one", deployment.config().name(),
                        slot.helper.pid());
                slot.helper.kill();
                slot.helper = null;
            }
            if (Instant.now().isBefore(slot.retryAfter)) {
                return null;
            }
            long begin = System.nanoTime();
            try {
                KeystoreHelper.Launch launch = launch(node);
                slot.helper = KeystoreHelper.start(launch);
                LOG.infof("keystore helper of %s up in %.1f s (pid %s, java %s, home %s, %s)", deployment.config().name(),
                        (System.nanoTime() - begin) / 1e9, slot.helper.ping().replace(' ', '/'), launch.java(), launch.home(),
                        launch.runAs() == null ? "as this user" : "as " + launch.runAs());
                return slot.helper;
            } catch (IOException | RuntimeException e) {
                slot.retryAfter = Instant.now().plusSeconds(RETRY_SECONDS);
                LOG.warnf("keystore helper of %s cannot start; keystore changes use elasticsearch-keystore (a JVM per change)"
                        + " for the next %d s: %s", deployment.config().name(), RETRY_SECONDS, e.getMessage());
                return null;
            }
        }
    }

    /**
     * How to run the node's helper: the running node's own Java, Elasticsearch home and config folder (from its
     * process), else what the launcher gives it (the Java its version needs as ES_JAVA_HOME, the built home,
     * workDir/config); as the owner of the config folder when this process is root (Elasticsearch's tools never run as root).
     */
    private KeystoreHelper.Launch launch(ElasticsearchNode node) throws IOException {
        Path workDir = node.config().workDir();
        Path java = node.javaHome().resolve("bin/java");
        Path home = null;
        Path configDir = workDir.resolve("config");
        long pid = node.pid();
        if (pid > 0) {
            try {
                java = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
                String[] args = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                        StandardCharsets.UTF_8).split("\0");
                for (String arg : args) {
                    if (arg.startsWith("-Des.path.home=")) {
                        home = Path.of(arg.substring("-Des.path.home=".length()));
                    } else if (arg.startsWith("-Des.path.conf=")) {
                        configDir = Path.of(arg.substring("-Des.path.conf=".length()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debugf("cannot read the process of node %s: %s", node.config().name(), e);
            }
        }
        if (home == null) {
            home = CrosslinkPaths.elasticsearchHome(node.config().version());
        }
        String runAs = null;
        if (Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
            String owner = Files.getOwner(configDir).getName();
            runAs = owner.equals("root") ? null : owner;
        }
        return new KeystoreHelper.Launch(node.config().name(), configDir, java, home,
                workDir.resolve("run").resolve("keystore-helper"), runAs, fastSave, HELPER_TIMEOUT);
    }

    /**
     * Reloads the node's secure settings, one reload per deployment at a time (each reads every change written before
     * it). Overlapping reloads on one node (Elasticsearch 8.19.21, ten keystore changes at once) left remotes without
     * their credentials in {@code _remote/info} for good, or lost from it, for the direct calls and the saga alike (the
     * bench, 2026-12-07: 13 of 80 connections); one at a time, none of 80 was. KeystoreTest's ten changes at once left
     * one alias without credentials before.
     */
    private void reload(SimDeployment deployment) {
        Object lock = reloadLocks.computeIfAbsent(deployment.config().name(), name -> new Object());
        Runnable reload = () -> {
            synchronized (lock) {
                try {
                    deployment.node().reloadSecureSettings();
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("secure settings reload of %s failed: %s", deployment.config().name(), e.getMessage());
                }
            }
        };
        if (reloadDelay.isZero()) {
            reload.run();
        } else {
            reloads.schedule(reload, reloadDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private record Change(String value, boolean asFile) {
    }

    private static Map<String, Change> parse(JsonNode body) {
        JsonNode secrets = body == null ? null : body.get("secrets");
        if (secrets == null || !secrets.isObject()) {
            throw new CloudApiException(400, "root.invalid_json_request", "The request must contain an object [secrets].",
                    List.of("secrets"));
        }
        Map<String, Change> changes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = secrets.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (!SETTING_NAME.matcher(name).matches()) {
                throw new CloudApiException(400, "root.invalid_json_request",
                        "Invalid keystore setting name [" + name + "].", List.of("secrets." + name));
            }
            JsonNode secret = entry.getValue();
            JsonNode value = secret == null || secret.isNull() ? null : secret.get("value");
            if (value == null || value.isNull()) {
                changes.put(name, new Change(null, false));
            } else {
                // A JSON object value is stored as its JSON text, and defaults to as_file, as the spec says.
                boolean asFile = secret.path("as_file").asBoolean(value.isObject());
                changes.put(name, new Change(value.isTextual() ? value.asText() : value.toString(), asFile));
            }
        }
        return changes;
    }
}

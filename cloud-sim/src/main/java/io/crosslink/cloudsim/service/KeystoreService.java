package io.crosslink.cloudsim.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.SimDeployment;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The Cloud API keystore: a partial update of the node's real keystore followed by a secure-settings
 * reload, which on Elastic Cloud happens asynchronously (the configurable reload delay reproduces it).
 * Every {@code elasticsearch-keystore} call starts a JVM, so writes are slow; their duration is logged.
 */
@ApplicationScoped
public class KeystoreService {
    private static final Logger LOG = Logger.getLogger(KeystoreService.class);
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_\\-.]+");

    private final Duration reloadDelay;
    private final ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "keystore-reload");
        thread.setDaemon(true);
        return thread;
    });

    public KeystoreService(SimConfig config) {
        this.reloadDelay = config.keystoreReloadDelay();
    }

    void onStop(@Observes ShutdownEvent event) {
        reloads.shutdownNow();
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
        deployment.writeLock().lock();
        long started = System.nanoTime();
        try {
            for (Map.Entry<String, Change> entry : changes.entrySet()) {
                String name = entry.getKey();
                Change change = entry.getValue();
                if (change.value() == null) {
                    deployment.node().removeKeystoreEntry(name);
                    deployment.keystore().remove(name);
                } else {
                    deployment.node().addKeystoreEntry(name, change.value());
                    deployment.keystore().put(name, change.asFile());
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
        LOG.infof("keystore of %s: %d change(s) applied in %.1f s", deployment.config().name(), changes.size(),
                (System.nanoTime() - started) / 1e9);
        reload(deployment);
        return contents(deployment);
    }

    private void reload(SimDeployment deployment) {
        Runnable reload = () -> {
            try {
                deployment.node().reloadSecureSettings();
            } catch (IOException | RuntimeException e) {
                LOG.warnf("secure settings reload of %s failed: %s", deployment.config().name(), e.getMessage());
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

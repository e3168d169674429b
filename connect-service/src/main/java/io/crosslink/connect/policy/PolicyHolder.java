package io.crosslink.connect.policy;

import io.crosslink.connect.policy.AccessPolicy.PolicyException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The policy in force: read from {@code crosslink.policy.file} at start (an unusable file stops the start, naming the
 * problem) and read again every {@code crosslink.policy.reload-interval}. A changed file that is valid replaces the
 * policy; one that is not leaves the last good policy in force and is logged once with the reason.
 */
@ApplicationScoped
public class PolicyHolder {
    private static final Logger LOG = Logger.getLogger(PolicyHolder.class);

    private final Path file;
    private final long intervalMillis;
    private volatile AccessPolicy current;
    /** SHA-256 of the content last read (valid or not), so each change is judged and logged once. */
    private byte[] lastSeen;
    private boolean lastMissing;
    private ScheduledExecutorService executor;

    public PolicyHolder(PolicyConfig config) {
        this.file = config.file().toAbsolutePath();
        this.intervalMillis = config.reloadInterval().toMillis();
    }

    void start(@Observes StartupEvent event) {
        current();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "connect-policy-reload");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::reloadQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** The policy in force; read on first use (the Kafka intake may ask before the start event). */
    public AccessPolicy current() {
        AccessPolicy policy = current;
        if (policy == null) {
            synchronized (this) {
                if (current == null) {
                    load();
                }
                policy = current;
            }
        }
        return policy;
    }

    /** The first read: any problem stops the start. */
    private void load() {
        try {
            byte[] content = AccessPolicy.content(file);
            lastSeen = sha256(content);
            current = AccessPolicy.of(content);
            LOG.infof("access policy %s: teams %s", file, current.teams());
        } catch (IOException e) {
            throw new IllegalStateException("crosslink.policy.file " + file + " cannot be read: "
                    + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (PolicyException e) {
            throw new IllegalStateException("crosslink.policy.file " + file + " is not a valid policy: " + e.getMessage());
        }
    }

    /**
     * Reads the file again: a changed valid file replaces the policy in force (true); an unchanged, unreadable or
     * invalid one leaves it (false), the last two logged once per change.
     */
    public synchronized boolean reload() {
        if (current == null) {
            load();
            return true;
        }
        byte[] content;
        try {
            content = AccessPolicy.content(file);
        } catch (PolicyException e) {
            LOG.warnf("access policy %s is not valid, the last good policy stays in force: %s", file, e.getMessage());
            return false;
        } catch (NoSuchFileException e) {
            if (!lastMissing) {
                LOG.warnf("access policy %s is gone; the policy in force stays", file);
                lastMissing = true;
            }
            return false;
        } catch (IOException e) {
            LOG.warnf("access policy %s cannot be read (%s); the policy in force stays", file, e.getMessage());
            return false;
        }
        lastMissing = false;
        byte[] hash = sha256(content);
        if (Arrays.equals(hash, lastSeen)) {
            return false;
        }
        lastSeen = hash;
        try {
            AccessPolicy policy = AccessPolicy.of(content);
            current = policy;
            LOG.infof("access policy %s reloaded: teams %s", file, policy.teams());
            return true;
        } catch (PolicyException e) {
            LOG.warnf("access policy %s changed but is not valid, the last good policy stays in force: %s", file,
                    e.getMessage());
            return false;
        }
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warnf("access policy %s: reload failed, the policy in force stays: %s", file, e.getMessage());
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.crosslink.runtime.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Deletes inbox rows older than {@code crosslink.inbox.retention} (14 days by default), once an hour. The inbox only
 * has to outlive redelivery: keep the retention above the topics' retention (Kafka's default is 7 days), or a
 * record replayed from further back would be applied again. The outbox needs no pruning (rows go once Kafka
 * acknowledged them), finished work items are the dispatcher's ({@code crosslink.work.retention}).
 */
@ApplicationScoped
public class InboxPruner {
    private static final Logger LOG = Logger.getLogger(InboxPruner.class);

    @ConfigProperty(name = "crosslink.inbox.retention", defaultValue = "14d")
    Duration retention;

    @ConfigProperty(name = "crosslink.inbox.prune-every", defaultValue = "1h")
    Duration every;

    private ScheduledExecutorService executor;

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "inbox-pruner");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::pruneQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Deletes the rows of events applied before {@code now} minus the retention; returns how many. */
    public long prune(Instant now) {
        long pruned = QuarkusTransaction.requiringNew()
                .call(() -> ProcessedEvent.delete("processedAt < ?1", now.minus(retention)));
        if (pruned > 0) {
            LOG.infof("pruned %d inbox rows older than %s", pruned, retention);
        }
        return pruned;
    }

    private void pruneQuietly() {
        try {
            prune(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("pruning the inbox failed, trying again in %s: %s", every, e.getMessage());
        }
    }
}

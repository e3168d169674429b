package io.crosslink.connect.service;

import io.crosslink.connect.client.ConfiguredElasticsearch;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkResult;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Watches an API-key remote from its registration until it is verified, because Elasticsearch can lose it: a keystore
 * reload that lands while the remote's first connection is being opened rebuilds that connection, the rebuild fails
 * ({@code AlreadyClosedException: connect handler is already closed}) and the alias is gone from the node's remotes
 * ({@code GET _remote/info}) while {@code cluster.remote.<alias>.*} stays set. Every probe then answers
 * {@code no_such_remote_cluster_exception} until the settings are written again, and verification would run out its
 * deadline. Seen on Elasticsearch 8.19 in about one connection of twelve under load (e2e ReplicasTest, the bench).
 *
 * <p>So while the connection is REMOTE_CONNECTED, this reads {@code _remote/info} on L every
 * {@code crosslink.saga.remote-watch-interval}. An alias missing there on two reads in a row while
 * {@code _cluster/settings} still holds it is a lost remote: it is re-registered (nulled and written again, the
 * same step as after a key change), which emits RemoteConnected again for the timeline. An alias listed (connected
 * or not yet) or absent from the settings (someone removed it: verification will say so) changes nothing. The watch
 * ends when the connection moves on (VERIFIED, compensation, disconnect): any step scheduled meanwhile cancels it.
 */
@ApplicationScoped
public class RemoteWatch {
    private static final Logger LOG = Logger.getLogger(RemoteWatch.class);
    /** Checkpoint of a run that found the alias missing: the next run confirms it before acting. */
    static final String MISSING_ONCE = "missing-once";

    private final ConfiguredElasticsearch elasticsearch;
    private final ConnectionJournal journal;
    private final ConnectConfig config;
    private final Duration interval;

    public RemoteWatch(ConfiguredElasticsearch elasticsearch, ConnectionJournal journal, ConnectConfig config,
            @ConfigProperty(name = "crosslink.saga.remote-watch-interval", defaultValue = "1s") Duration interval) {
        this.elasticsearch = elasticsearch;
        this.journal = journal;
        this.config = config;
        this.interval = interval;
    }

    private record Watched(String alias, String localDeploymentId) {
    }

    /** One look at L; throws {@code ElasticCallException} on a transient failure (the item parks and runs again). */
    public WorkResult run(Work work) {
        Watched watched = QuarkusTransaction.requiringNew().call(() -> stillWatched(work.connectionId()));
        if (watched == null) {
            return WorkResult.done();
        }
        ConnectConfig.Deployment local = config.deployments().get(watched.localDeploymentId());
        if (local == null) {
            return WorkResult.done();
        }
        ElasticAnswer info = elasticsearch.remoteInfo(local);
        if (!info.ok() || info.json().has(watched.alias())) {
            return WorkResult.park(interval, "", "remote [" + watched.alias() + "] "
                    + (info.ok() ? "listed" : "unreadable (HTTP " + info.status() + ")"));
        }
        ElasticAnswer settings = elasticsearch.clusterSettings(local);
        if (!settings.ok() || !RemoteSettings.registered(settings.json(), watched.alias())) {
            return WorkResult.park(interval, "", "remote [" + watched.alias() + "] not in the cluster settings");
        }
        if (!MISSING_ONCE.equals(work.checkpoint().orElse(""))) {
            return WorkResult.park(interval, MISSING_ONCE, "remote [" + watched.alias() + "] set but not set up");
        }
        boolean scheduled = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.lockedById(work.connectionId());
            if (connection == null || connection.pending != PendingWork.WATCH_REMOTE
                    || connection.status != ConnectionStatus.REMOTE_CONNECTED) {
                return false;
            }
            journal.schedule(connection, PendingWork.REREGISTER_REMOTE);
            return true;
        });
        if (scheduled) {
            LOG.warnf("connection %s: Elasticsearch lost remote [%s] on %s (set in its cluster settings, missing from "
                    + "_remote/info twice): registering it again", work.connectionId(), watched.alias(),
                    watched.localDeploymentId());
        }
        return WorkResult.done();
    }

    /** The connection's alias and local deployment while it waits for verification; else null, ending the watch. */
    private static Watched stillWatched(String connectionId) {
        Connection connection = Connection.lockedById(connectionId);
        if (connection == null || connection.pending != PendingWork.WATCH_REMOTE) {
            return null;
        }
        if (connection.status != ConnectionStatus.REMOTE_CONNECTED) {
            connection.done();
            return null;
        }
        return new Watched(connection.request().alias(), connection.request().local().deploymentId());
    }
}

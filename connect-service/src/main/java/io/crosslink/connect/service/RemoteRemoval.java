package io.crosslink.connect.service;

import io.crosslink.connect.client.ConfiguredElasticsearch;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Compensation;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.Registration;
import io.crosslink.events.RoleChange;
import io.crosslink.events.StepFailure;
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.messaging.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * connect-service's undo step, after CompensationStarted: first undoes the request's local roles ({@link LocalRoles}:
 * deletes those the saga created, restores those it changed; a failure there is RemoteRemovalFailed and the remote
 * stays for the next run of the chain), then removes the alias from L's cluster settings with every
 * setting of it nulled in ONE request (idempotent: nulling what is gone changes nothing), then ONE transaction:
 * RemoteRemoved(removed=true) or RemoteRemovalFailed with Elastic's error, folded into the chain, with the
 * status document. trust-service takes the next link from either event.
 *
 * <p>Certificate model with {@code registration: ece_remote_clusters}: first R's entry under the alias is taken out of
 * L's ECE remote-clusters list (read, remove only that entry, write, under the same per-L lock as the registration,
 * {@link EceRemoteClusters}); then the alias is nulled in L's cluster settings as well, so nothing of it remains even
 * if the list never held it, unless another deployment's entry holds the alias.
 */
@ApplicationScoped
public class RemoteRemoval {
    private static final Logger LOG = Logger.getLogger(RemoteRemoval.class);

    private final ConfiguredElasticsearch elasticsearch;
    private final ConnectionJournal journal;
    private final ConnectConfig config;
    private final LocalRoles localRoles;

    private final EceRemoteClusters eceRemoteClusters;

    public RemoteRemoval(ConfiguredElasticsearch elasticsearch, ConnectionJournal journal, ConnectConfig config,
            LocalRoles localRoles, EceRemoteClusters eceRemoteClusters) {
        this.elasticsearch = elasticsearch;
        this.eceRemoteClusters = eceRemoteClusters;
        this.localRoles = localRoles;
        this.journal = journal;
        this.config = config;
    }

    /** {@code chain}: the run of the undo chain the removal answers, carried by its event. */
    private record Claim(String connectionId, String alias, String localDeploymentId, ConnectionRequest request, DeploymentInfo localInfo,
            DeploymentInfo remoteInfo, UndoChain chain) {
        boolean throughEce() {
            return request.certificateModel() && request.registrationOrDefault() == Registration.ECE_REMOTE_CLUSTERS
                    && localInfo != null && remoteInfo != null;
        }
    }

    /** The run of the undo chain a pending removal answers; empty when none is pending or the chain has no run id. */
    public Optional<UndoChain> chain(String connectionId) {
        return Optional.ofNullable(claim(connectionId)).map(Claim::chain);
    }

    /** Removes the remote of a compensating connection; throws {@code TransientElasticCallException} to be tried again. */
    public void run(String connectionId) {
        Claim claim = claim(connectionId);
        if (claim == null) {
            return;
        }
        ConnectConfig.Deployment local = config.deployments().get(claim.localDeploymentId());
        if (local == null) {
            finish(connectionId, failed(claim, new StepFailure("configuration_error",
                    "no Elasticsearch access configured for deployment " + claim.localDeploymentId(), null, false),
                    Certainty.POSSIBLE));
            return;
        }
        // Roles first: they name the alias, and a role left behind must not outlive the remote unnoticed.
        LocalRoles.Outcome roles = localRoles.undo(connectionId, local);
        if (!roles.ok()) {
            finish(connectionId, failedAfterLooking(connectionId, claim, local, roles.failure(), null));
            return;
        }
        if (claim.throughEce()) {
            ConnectConfig.Environment environment = config.environments().get(claim.localInfo().environment());
            if (environment == null) {
                finish(connectionId, failed(claim, new StepFailure("configuration_error",
                        "no Cloud API configured for environment " + claim.localInfo().environment(), null, false),
                        Certainty.POSSIBLE));
                return;
            }
            EceRemoteClusters.Outcome listed = eceRemoteClusters.unregister(environment, claim.localInfo(),
                    claim.remoteInfo(), claim.alias());
            if (!listed.ok()) {
                finish(connectionId, failedAfterLooking(connectionId, claim, local, listed.failure(), roles.changes()));
                return;
            }
            if (listed.aliasHeldByAnother()) {
                // The alias belongs to someone else's entry (the registration found it taken): its settings stay.
                finish(connectionId, new RemoteRemoved(Outbox.newEventId(), connectionId, Connection.now(),
                        claim.alias(), listed.changed(), null, claim.chain()));
                return;
            }
        }
        ElasticAnswer answer = elasticsearch.putClusterSettings(local,
                RemoteSettings.removalBody(claim.alias(), claim.request().strongIdentity()));
        finish(connectionId, answer.ok() ? removed(connectionId, claim, roles.changes())
                : failedAfterLooking(connectionId, claim, local, answer.failure(), roles.changes()));
    }

    /**
     * Gives up after transient failures: one look at L decides, as after any failure (the last removal may have
     * landed with its answer lost). With every role undone on record, a remote read as gone is a done undo.
     */
    public void giveUp(String connectionId, StepFailure lastFailure) {
        Claim claim = claim(connectionId);
        if (claim == null) {
            return;
        }
        ConnectConfig.Deployment local = config.deployments().get(claim.localDeploymentId());
        finish(connectionId, local == null ? failed(claim, lastFailure, Certainty.POSSIBLE)
                : failedAfterLooking(connectionId, claim, local, lastFailure,
                        localRoles.allUndone(connectionId).orElse(null)));
    }

    /**
     * After a failed undo, reads what is really on L: the remote still registered is a confirmed leftover; gone, the
     * removal took effect after all (its answer was lost) and, with the roles undone ({@code roleChanges} known), the
     * undo is done; a read that fails leaves a possible leftover.
     */
    private ConnectionEvent failedAfterLooking(String connectionId, Claim claim, ConnectConfig.Deployment local,
            StepFailure failure, List<RoleChange> roleChanges) {
        Optional<Boolean> registered = stillRegistered(claim, local);
        if (registered.isEmpty()) {
            return failed(claim, failure, Certainty.POSSIBLE);
        }
        if (registered.get()) {
            return failed(claim, failure, Certainty.CONFIRMED);
        }
        if (roleChanges != null) {
            LOG.infof("connection %s: the removal of remote %s failed (%s), yet L shows it gone: removed", connectionId,
                    claim.alias(), failure.type());
            return removed(connectionId, claim, roleChanges);
        }
        return failed(claim, failure, Certainty.POSSIBLE);
    }

    /** L's cluster settings (and, through ECE, its remote-clusters list) name the alias; empty when unreadable. */
    private Optional<Boolean> stillRegistered(Claim claim, ConnectConfig.Deployment local) {
        boolean listed = false;
        if (claim.throughEce()) {
            ConnectConfig.Environment environment = config.environments().get(claim.localInfo().environment());
            Optional<Boolean> inList = environment == null ? Optional.empty()
                    : eceRemoteClusters.lists(environment, claim.localInfo(), claim.remoteInfo(), claim.alias());
            if (inList.isEmpty()) {
                return Optional.empty();
            }
            listed = inList.get();
        }
        try {
            ElasticAnswer settings = elasticsearch.clusterSettings(local);
            if (!settings.ok()) {
                return Optional.empty();
            }
            return Optional.of(listed || RemoteSettings.registered(settings.json(), claim.alias()));
        } catch (ElasticCallException e) {
            return Optional.empty();
        }
    }

    private RemoteRemoved removed(String connectionId, Claim claim, List<RoleChange> roleChanges) {
        return new RemoteRemoved(Outbox.newEventId(), connectionId, Connection.now(), claim.alias(), true,
                roleChanges.isEmpty() ? null : roleChanges, claim.chain());
    }

    private static RemoteRemovalFailed failed(Claim claim, StepFailure failure, Certainty certainty) {
        return new RemoteRemovalFailed(Outbox.newEventId(), claim.connectionId(), Connection.now(), failure, certainty,
                claim.chain());
    }

    /** What the removal needs of the connection, unless it has no removal pending. */
    private static Claim claim(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.findById(connectionId);
            return connection == null || connection.pending != PendingWork.REMOVE_REMOTE ? null
                    : new Claim(connectionId, connection.alias, connection.localDeploymentId, connection.request(),
                            connection.localInfo().orElse(null), connection.remoteInfo().orElse(null),
                            connection.compensation().map(Compensation::chain).orElse(null));
        });
    }

    private void finish(String connectionId, ConnectionEvent outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            Connection connection = Connection.lockedById(connectionId);
            if (connection == null || connection.pending != PendingWork.REMOVE_REMOTE) {
                return;
            }
            connection.done();
            journal.emit(connection, outcome);
            journal.publish(connection);
        });
        LOG.infof("connection %s: %s", connectionId, outcome.getClass().getSimpleName());
    }
}

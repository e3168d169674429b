package io.crosslink.connect.service;

import io.crosslink.connect.client.ConfiguredElasticsearch;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.Registration;
import io.crosslink.events.StepFailure;
import io.crosslink.elastic.ElasticErrors;
import io.crosslink.runtime.messaging.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
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

    private record Claim(String alias, String localDeploymentId, ConnectionRequest request, DeploymentInfo localInfo,
            DeploymentInfo remoteInfo) {
        boolean throughEce() {
            return request.certificateModel() && request.registrationOrDefault() == Registration.ECE_REMOTE_CLUSTERS
                    && localInfo != null && remoteInfo != null;
        }
    }

    /** Removes the remote of a compensating connection; throws {@code TransientElasticCallException} to be tried again. */
    public void run(String connectionId) {
        Claim claim = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.findById(connectionId);
            return connection == null || connection.pending != PendingWork.REMOVE_REMOTE ? null
                    : new Claim(connection.alias, connection.localDeploymentId, connection.request(),
                            connection.localInfo().orElse(null), connection.remoteInfo().orElse(null));
        });
        if (claim == null) {
            return;
        }
        ConnectConfig.Deployment local = config.deployments().get(claim.localDeploymentId());
        if (local == null) {
            finish(connectionId, failed(connectionId, new StepFailure("configuration_error",
                    "no Elasticsearch access configured for deployment " + claim.localDeploymentId(), null, false)));
            return;
        }
        // Roles first: they name the alias, and a role left behind must not outlive the remote unnoticed.
        LocalRoles.Outcome roles = localRoles.undo(connectionId, local);
        if (!roles.ok()) {
            finish(connectionId, failed(connectionId, roles.failure()));
            return;
        }
        if (claim.throughEce()) {
            ConnectConfig.Environment environment = config.environments().get(claim.localInfo().environment());
            if (environment == null) {
                finish(connectionId, failed(connectionId, new StepFailure("configuration_error",
                        "no Cloud API configured for environment " + claim.localInfo().environment(), null, false)));
                return;
            }
            EceRemoteClusters.Outcome listed = eceRemoteClusters.unregister(environment, claim.localInfo(),
                    claim.remoteInfo(), claim.alias());
            if (!listed.ok()) {
                finish(connectionId, failed(connectionId, listed.failure()));
                return;
            }
            if (listed.aliasHeldByAnother()) {
                // The alias belongs to someone else's entry (the registration found it taken): its settings stay.
                finish(connectionId, new RemoteRemoved(Outbox.newEventId(), connectionId, Connection.now(),
                        claim.alias(), listed.changed()));
                return;
            }
        }
        ElasticAnswer answer = elasticsearch.putClusterSettings(local, RemoteSettings.removalBody(claim.alias()));
        finish(connectionId, answer.ok()
                ? new RemoteRemoved(Outbox.newEventId(), connectionId, Connection.now(), claim.alias(), true,
                        roles.changes().isEmpty() ? null : roles.changes())
                : failed(connectionId, ElasticErrors.fromResponse(answer.status(), answer.body(), local.password())));
    }

    /** Gives up after transient failures: the undo fails with the last of them. */
    public void giveUp(String connectionId, StepFailure lastFailure) {
        finish(connectionId, failed(connectionId, lastFailure));
    }

    private static RemoteRemovalFailed failed(String connectionId, StepFailure failure) {
        return new RemoteRemovalFailed(Outbox.newEventId(), connectionId, Connection.now(), failure);
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

package io.crosslink.connect.service;

import io.crosslink.connect.client.ElasticsearchApi;
import io.crosslink.connect.client.HttpAnswer;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRegistrationFailed;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.StepFailure;
import io.crosslink.events.elastic.ElasticErrors;
import io.crosslink.events.messaging.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * After KeystoreUpdated: registers R on L ({@code PUT _cluster/settings}, idempotent) with R's endpoint as read
 * at ConnectionRequested, then ONE transaction: RemoteConnected (or RemoteRegistrationFailed with Elastic's
 * error) + status + timeline + status document.
 */
@ApplicationScoped
public class RemoteRegistration {
    private static final Logger LOG = Logger.getLogger(RemoteRegistration.class);

    private final ElasticsearchApi elasticsearch;
    private final ConnectionJournal journal;
    private final ConnectConfig config;

    public RemoteRegistration(ElasticsearchApi elasticsearch, ConnectionJournal journal, ConnectConfig config) {
        this.elasticsearch = elasticsearch;
        this.journal = journal;
        this.config = config;
    }

    /** Registers the remote of a connection; throws {@code TransientElasticException} to be tried again later. */
    public void run(String connectionId) {
        Connection snapshot = QuarkusTransaction.requiringNew().call(() -> Connection.findById(connectionId));
        if (snapshot == null || snapshot.pending != PendingWork.REGISTER_REMOTE) {
            return;
        }
        ConnectionRequest request = snapshot.request();
        DeploymentInfo remote = snapshot.remoteInfo().orElse(null);
        ConnectConfig.Deployment local = config.deployments().get(request.local().deploymentId());
        if (remote == null || local == null) {
            finish(connectionId, failed(connectionId, new StepFailure("configuration_error", remote == null
                    ? "the remote deployment's endpoint was never resolved"
                    : "no Elasticsearch access configured for deployment " + request.local().deploymentId(), null, false)));
            return;
        }
        RemoteSettings settings = RemoteSettings.of(request.alias(), remote.endpoint(), config.remote().clusterPort(),
                request.skipUnavailable() == null || request.skipUnavailable());
        HttpAnswer answer = elasticsearch.putClusterSettings(local, settings.body());
        finish(connectionId, answer.ok()
                ? new RemoteConnected(Outbox.newEventId(), connectionId, Connection.now(), settings.alias(),
                        settings.proxyAddress(), settings.serverName(), settings.skipUnavailable())
                : failed(connectionId, ElasticErrors.fromResponse(answer.status(), answer.body(), local.password())));
    }

    /** Gives up after transient failures: the step fails with the last of them. */
    public void giveUp(String connectionId, StepFailure lastFailure) {
        finish(connectionId, failed(connectionId, lastFailure));
    }

    private static RemoteRegistrationFailed failed(String connectionId, StepFailure failure) {
        return new RemoteRegistrationFailed(Outbox.newEventId(), connectionId, Connection.now(), failure);
    }

    private void finish(String connectionId, ConnectionEvent outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            Connection connection = Connection.lockedById(connectionId);
            if (connection == null || connection.pending != PendingWork.REGISTER_REMOTE) {
                return;
            }
            connection.done();
            journal.emit(connection, outcome);
        });
        LOG.infof("connection %s: %s", connectionId, outcome.getClass().getSimpleName());
    }
}

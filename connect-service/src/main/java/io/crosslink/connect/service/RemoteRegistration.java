package io.crosslink.connect.service;

import io.crosslink.connect.client.ConfiguredElasticsearch;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.domain.StatusFolding;
import io.crosslink.elastic.ElasticAnswer;
import io.crosslink.elastic.ElasticErrors;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRegistrationFailed;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.Registration;
import io.crosslink.events.StepFailure;
import io.crosslink.events.StrongIdentity;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.runtime.work.StepWarnings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Certificate model, after TrustUpdated: registers R on L on R's transport port ({@code <endpoint>:<transport port>},
 * {@code server_name} = endpoint), by {@code PUT _cluster/settings} ({@code registration: cluster_settings}) or through
 * ECE's remote-clusters API ({@code ece_remote_clusters}, {@link EceRemoteClusters}); no roles in this model. Then
 * RemoteConnected or RemoteRegistrationFailed, as below.
 *
 * <p>API-key model, after KeystoreUpdated: registers R on L ({@code PUT _cluster/settings}, idempotent) with R's endpoint as read
 * at ConnectionRequested, then applies the request's local roles ({@link LocalRoles}); a re-registration (a later
 * keystore change) first nulls the alias, then writes it again, so Elasticsearch opens new connections with the new
 * credentials. The claim (a committed transaction)
 * marks the remote as touched before any request goes out, so a compensation that starts meanwhile knows it
 * must remove it. Then ONE transaction: RemoteConnected, or RemoteRegistrationFailed with Elastic's error (which
 * starts compensation), with the status document. If compensation began while the request was in flight, the
 * outcome is dropped: the scheduled removal runs after this work (the work mechanism never overlaps two items of a connection).
 */
@ApplicationScoped
public class RemoteRegistration {
    private static final Logger LOG = Logger.getLogger(RemoteRegistration.class);

    private final ConfiguredElasticsearch elasticsearch;
    private final ConnectionJournal journal;
    private final Compensations compensations;
    private final ConnectConfig config;
    private final LocalRoles localRoles;

    private final EceRemoteClusters eceRemoteClusters;

    public RemoteRegistration(ConfiguredElasticsearch elasticsearch, ConnectionJournal journal, Compensations compensations,
            ConnectConfig config, LocalRoles localRoles, EceRemoteClusters eceRemoteClusters) {
        this.elasticsearch = elasticsearch;
        this.eceRemoteClusters = eceRemoteClusters;
        this.localRoles = localRoles;
        this.journal = journal;
        this.compensations = compensations;
        this.config = config;
    }

    private record Claim(ConnectionRequest request, DeploymentInfo localInfo, DeploymentInfo remote,
            StrongIdentity strongIdentity) {
        String localVersion() {
            return localInfo == null ? null : localInfo.version();
        }
    }

    /** Registers (or re-registers) the remote; throws {@code TransientElasticCallException} to be tried again later. */
    public void run(String connectionId, PendingWork work) {
        Claim claim = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.lockedById(connectionId);
            if (connection == null || connection.pending != work) {
                return null;
            }
            connection.remoteTouched = true;
            return new Claim(connection.request(), connection.localInfo().orElse(null),
                    connection.remoteInfo().orElse(null), connection.strongIdentity().orElse(null));
        });
        if (claim == null) {
            return;
        }
        ConnectionRequest request = claim.request();
        ConnectConfig.Deployment local = config.deployments().get(request.local().deploymentId());
        if (claim.remote() == null || local == null) {
            finish(connectionId, work, failed(connectionId, new StepFailure("configuration_error", claim.remote() == null
                    ? "the remote deployment's endpoint was never resolved"
                    : "no Elasticsearch access configured for deployment " + request.local().deploymentId(), null, false)));
            return;
        }
        if (request.certificateModel()) {
            registerWithCertificates(connectionId, work, request, claim, local);
            return;
        }
        if (work == PendingWork.REREGISTER_REMOTE) {
            ElasticAnswer nulled = elasticsearch.putClusterSettings(local,
                    RemoteSettings.removalBody(request.alias(), request.strongIdentity()));
            if (!nulled.ok()) {
                finish(connectionId, work, failed(connectionId,
                        ElasticErrors.fromResponse(nulled.status(), nulled.body(), local.password())));
                return;
            }
        }
        RemoteSettings settings = RemoteSettings.of(request.alias(), claim.remote().endpoint(),
                config.remote().clusterPort(), request.skipUnavailable() == null || request.skipUnavailable());
        if (claim.strongIdentity() != null) {
            settings = settings.signedWith(claim.strongIdentity().signingCertificate(),
                    claim.strongIdentity().signingKey());
        }
        ElasticAnswer answer = elasticsearch.putClusterSettings(local, settings.body());
        if (!answer.ok()) {
            finish(connectionId, work, failed(connectionId,
                    ElasticErrors.fromResponse(answer.status(), answer.body(), local.password())));
            return;
        }
        // The request's local roles right after the remote (they name its alias), before RemoteConnected: a
        // verified connection has them, and a role that cannot be written fails the registration step.
        LocalRoles.Outcome roles = localRoles.apply(connectionId, local, request, claim.localVersion());
        finish(connectionId, work, roles.ok()
                ? new RemoteConnected(Outbox.newEventId(), connectionId, Connection.now(), settings.alias(),
                        settings.proxyAddress(), settings.serverName(), settings.skipUnavailable(),
                        roles.changes().isEmpty() ? null : roles.changes(), StepWarnings.current())
                : failed(connectionId, roles.failure()));
    }

    /** Certificate model: R's transport port, through L's cluster settings or ECE's remote-clusters list. */
    private void registerWithCertificates(String connectionId, PendingWork work, ConnectionRequest request, Claim claim,
            ConnectConfig.Deployment local) {
        RemoteSettings settings = RemoteSettings.transport(request.alias(), claim.remote(),
                request.skipUnavailable() == null || request.skipUnavailable());
        if (request.registrationOrDefault() == Registration.ECE_REMOTE_CLUSTERS) {
            ConnectConfig.Environment environment = claim.localInfo() == null ? null
                    : config.environments().get(claim.localInfo().environment());
            if (environment == null) {
                finish(connectionId, work, failed(connectionId, new StepFailure("configuration_error",
                        "no Cloud API configured for the local deployment's environment", null, false)));
                return;
            }
            EceRemoteClusters.Outcome outcome = eceRemoteClusters.register(environment, claim.localInfo(),
                    claim.remote(), request.alias(), settings.skipUnavailable());
            if (!outcome.ok()) {
                finish(connectionId, work, failed(connectionId, outcome.failure()));
                return;
            }
        } else {
            ElasticAnswer answer = elasticsearch.putClusterSettings(local, settings.body());
            if (!answer.ok()) {
                finish(connectionId, work, failed(connectionId,
                        ElasticErrors.fromResponse(answer.status(), answer.body(), local.password())));
                return;
            }
        }
        // ECE writes the same settings (proxy mode, endpoint:transport port, server_name = endpoint).
        finish(connectionId, work, new RemoteConnected(Outbox.newEventId(), connectionId, Connection.now(),
                settings.alias(), settings.proxyAddress(), settings.serverName(), settings.skipUnavailable(), null,
                StepWarnings.current()));
    }

    /** Gives up after transient failures: the step fails with the last of them. */
    public void giveUp(String connectionId, PendingWork work, StepFailure lastFailure) {
        finish(connectionId, work, failed(connectionId, lastFailure));
    }

    private static RemoteRegistrationFailed failed(String connectionId, StepFailure failure) {
        return new RemoteRegistrationFailed(Outbox.newEventId(), connectionId, Connection.now(), failure);
    }

    private void finish(String connectionId, PendingWork work, ConnectionEvent outcome) {
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
            Connection connection = Connection.lockedById(connectionId);
            if (connection == null || connection.pending != work) {
                return false;
            }
            connection.done();
            StatusFolding.Folded folded = journal.emit(connection, outcome);
            compensations.afterFold(connection, outcome, folded);
            if (outcome instanceof RemoteConnected && !connection.certificateModel()
                    && connection.status == ConnectionStatus.REMOTE_CONNECTED) {
                // Elasticsearch can still lose the remote until it is verified (RemoteWatch).
                journal.schedule(connection, PendingWork.WATCH_REMOTE);
            }
            journal.publish(connection);
            return true;
        });
        if (recorded) {
            LOG.infof("connection %s: %s", connectionId, outcome.getClass().getSimpleName());
        } else {
            LOG.infof("connection %s: %s dropped, the connection moved on meanwhile (compensation or a newer keystore "
                    + "entry)", connectionId, outcome.getClass().getSimpleName());
        }
    }
}

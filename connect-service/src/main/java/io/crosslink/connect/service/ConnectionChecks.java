package io.crosslink.connect.service;

import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.StrongIdentity;
import io.crosslink.events.Violation;
import io.crosslink.runtime.messaging.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The checks that need Elastic, run after acceptance: both deployments exist in their environments, their
 * Elasticsearch resources qualify for the security model (API key: 8.14+; certificate model: cluster id, endpoint,
 * account and CA known, and one ECE installation for {@code ece_remote_clusters}), and connect-service can reach L's
 * Elasticsearch to register (or clean up) the remote later.
 * The Cloud API calls run outside any transaction; the outcome is ONE transaction: ConnectionRequested (the
 * saga starts) or ConnectionRejected, with the status document.
 */
@ApplicationScoped
public class ConnectionChecks {
    private static final Logger LOG = Logger.getLogger(ConnectionChecks.class);

    private final DeploymentResolver resolver;
    private final ConnectionJournal journal;
    private final ConnectConfig config;

    public ConnectionChecks(DeploymentResolver resolver, ConnectionJournal journal, ConnectConfig config) {
        this.resolver = resolver;
        this.journal = journal;
        this.config = config;
    }

    /** Runs the checks of a connection; throws {@code TransientElasticCallException} to be tried again later. */
    public void run(String connectionId) {
        Connection snapshot = QuarkusTransaction.requiringNew().call(() -> Connection.findById(connectionId));
        if (snapshot == null || snapshot.pending != PendingWork.CHECKS) {
            return;
        }
        ConnectionRequest request = snapshot.request();
        DeploymentFacts.Outcome local = resolver.resolve(request.local(), "local", request.securityModel());
        DeploymentFacts.Outcome remote = resolver.resolve(request.remote(), "remote", request.securityModel());
        List<Violation> reasons = new ArrayList<>(local.violations());
        reasons.addAll(remote.violations());
        if (reasons.isEmpty()) {
            reasons.addAll(DeploymentFacts.registrationViolations(request, local.info(), remote.info()));
        }
        if (!config.deployments().containsKey(request.local().deploymentId())) {
            reasons.add(new Violation("local.deploymentId", "connect-service has no Elasticsearch access configured "
                    + "for this deployment (crosslink.deployments." + request.local().deploymentId() + ")"));
        }
        QuarkusTransaction.requiringNew().run(() -> {
            Connection connection = Connection.lockedById(connectionId);
            if (connection == null || connection.pending != PendingWork.CHECKS) {
                return;
            }
            connection.done();
            if (reasons.isEmpty()) {
                connection.deployments(local.info(), remote.info());
                StrongIdentity identity = strongIdentity(request, local.info());
                connection.strongIdentity(identity);
                journal.emit(connection, new ConnectionRequested(Outbox.newEventId(), connection.id, Connection.now(),
                        request, local.info(), remote.info(), identity));
                LOG.infof("connection %s requested: %s on %s -> %s", connection.id, request.alias(),
                        local.info().deploymentId(), remote.info().deploymentId());
            } else {
                journal.emit(connection, new ConnectionRejected(Outbox.newEventId(), connection.id, Connection.now(),
                        reasons));
                LOG.infof("connection %s rejected: %s", connection.id, reasons);
            }
            journal.publish(connection);
        });
    }

    /** The strong-identity facts every step applies, for a request that asks for it; null otherwise. */
    StrongIdentity strongIdentity(ConnectionRequest request, DeploymentInfo local) {
        if (!request.strongIdentity()) {
            return null;
        }
        ConnectConfig.StrongIdentityFiles files = config.strongIdentity();
        return new StrongIdentity(StrongIdentity.patternFor(local.clusterId()), files.signingCertificate(),
                files.signingKey(), files.certificateAuthority());
    }
}

package io.crosslink.connect.service;

import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.domain.StatusFolding;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.runtime.messaging.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Folds the events of the other services into their connection: ONE transaction records the event in the
 * inbox, changes status, timeline and undo chain, starts compensation on a failed step (CompensationStarted and
 * connect-service's own undo), schedules the remote registration on KeystoreUpdated (API key) or TrustUpdated
 * (certificate model), and publishes the status
 * document. The row lock serialises events of one connection arriving on different topics.
 */
@ApplicationScoped
public class EventFolder {
    private static final Logger LOG = Logger.getLogger(EventFolder.class);

    private final Inbox inbox;
    private final ConnectionJournal journal;
    private final Compensations compensations;

    public EventFolder(Inbox inbox, ConnectionJournal journal, Compensations compensations) {
        this.inbox = inbox;
        this.journal = journal;
        this.compensations = compensations;
    }

    /** Applies an event once; a redelivered event changes nothing. */
    @Transactional
    public void apply(ConnectionEvent event) {
        Connection connection = Connection.lockedById(event.connectionId());
        if (inbox.seen(event.eventId())) {
            return;
        }
        inbox.record(event);
        if (connection == null) {
            LOG.warnf("%s %s is for unknown connection %s: ignored", event.cloudEventType(), event.eventId(),
                    event.connectionId());
            return;
        }
        StatusFolding.Folded folded = journal.fold(connection, event);
        compensations.afterFold(connection, event, folded);
        if (event instanceof KeystoreUpdated && !connection.certificateModel()) {
            registerAfterKeystoreUpdate(connection, folded);
        }
        if (event instanceof TrustUpdated && connection.certificateModel() && folded.advanced()
                && connection.status == ConnectionStatus.TRUST_UPDATED) {
            // Trust both ways is in effect (trust-service waited for the plans): the remote can be registered. A later
            // TrustUpdated changes nothing here: the certificates are reloaded by Elasticsearch, the address stays.
            journal.schedule(connection, PendingWork.REGISTER_REMOTE);
        }
        journal.publish(connection);
        LOG.debugf("connection %s: %s -> %s", connection.id, event.cloudEventType(), connection.status);
    }

    /**
     * The first KeystoreUpdated registers the remote. A later one (trust-service replaced the key) re-registers
     * it when a registration was already sent: the alias is nulled and written again, so Elasticsearch connects
     * with the new credentials. A registration not yet sent needs nothing: it will use the new entry. Nothing
     * is scheduled once compensation began (the tombstone) or for a connection that ended otherwise.
     */
    private void registerAfterKeystoreUpdate(Connection connection, StatusFolding.Folded folded) {
        ConnectionStatus status = connection.status;
        if (folded.advanced() && status == ConnectionStatus.KEYSTORE_UPDATED) {
            journal.schedule(connection, PendingWork.REGISTER_REMOTE);
        } else if (connection.remoteTouched && connection.pending != PendingWork.REMOVE_REMOTE
                && (status == ConnectionStatus.KEYSTORE_UPDATED || status == ConnectionStatus.REMOTE_CONNECTED
                        || status == ConnectionStatus.VERIFIED)) {
            journal.schedule(connection, PendingWork.REREGISTER_REMOTE);
            LOG.infof("connection %s: the keystore entry changed, re-registering the remote", connection.id);
        }
    }
}

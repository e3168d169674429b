package io.crosslink.connect.service;

import io.crosslink.connect.domain.Connection;
import io.crosslink.connect.domain.PendingWork;
import io.crosslink.connect.domain.StatusFolding;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.messaging.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Folds the events of the other services into their connection: ONE transaction records the event in the
 * inbox, changes status and timeline, publishes the status document and, on KeystoreUpdated, schedules the
 * remote registration. The row lock serialises events of one connection arriving on different topics.
 */
@ApplicationScoped
public class EventFolder {
    private static final Logger LOG = Logger.getLogger(EventFolder.class);

    private final Inbox inbox;
    private final ConnectionJournal journal;

    public EventFolder(Inbox inbox, ConnectionJournal journal) {
        this.inbox = inbox;
        this.journal = journal;
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
        if (event instanceof KeystoreUpdated && folded.advanced() && folded.status() == ConnectionStatus.KEYSTORE_UPDATED) {
            journal.schedule(connection, PendingWork.REGISTER_REMOTE);
        }
        LOG.debugf("connection %s: %s -> %s", connection.id, event.cloudEventType(), folded.status());
    }
}

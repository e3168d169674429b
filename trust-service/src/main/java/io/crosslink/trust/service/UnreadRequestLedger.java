package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.SecurityModel;
import io.crosslink.runtime.messaging.Inbox;
import io.crosslink.runtime.messaging.Outbox;
import io.crosslink.trust.domain.KeystoreEntry;
import io.crosslink.trust.domain.TrustLink;
import io.crosslink.trust.domain.UndoTrigger;
import io.crosslink.trust.domain.UnreadRequest;
import io.crosslink.trust.repository.KeystoreEntries;
import io.crosslink.trust.repository.TrustLinks;
import io.crosslink.trust.repository.UnreadRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The undo of a connection whose request this service never read ({@link UnreadRequest}): it wrote nothing for it, so
 * the undo's answer needs no call and no work item, only the model, which CompensationStarted names. API key:
 * KeystoreEntryRemoved(removed=false); TLS certificate: TrustRemoved(edits=[], removed=false); no model named (an
 * event from before it was): no answer, and connect-service's undo deadline ends the chain. Each answer carries the
 * trigger's chain back. The undo trigger and CompensationStarted are taken in either order.
 */
@ApplicationScoped
public class UnreadRequestLedger {
    private static final Logger LOG = Logger.getLogger(UnreadRequestLedger.class);

    private final UnreadRequests requests;
    private final KeystoreEntries entries;
    private final TrustLinks links;
    private final Inbox inbox;
    private final Outbox outbox;

    public UnreadRequestLedger(UnreadRequests requests, KeystoreEntries entries, TrustLinks links, Inbox inbox,
            Outbox outbox) {
        this.requests = requests;
        this.entries = entries;
        this.links = links;
        this.inbox = inbox;
        this.outbox = outbox;
    }

    /** Whether this service took a request of the connection (either model): its undo is then the model's own. */
    @Transactional
    public boolean requestRead(String connectionId) {
        return entries.find(connectionId).map(KeystoreEntry::hasRequest).orElse(false)
                || links.find(connectionId).map(TrustLink::hasRequest).orElse(false);
    }

    /**
     * CompensationStarted with no request read before it: records the model it names and answers an undo trigger that
     * came first (also when a request came after that trigger: its tombstone kept it from changing anything). Runs
     * before the keystore undo records the event in the inbox, so once that is done it is skipped.
     */
    @Transactional
    public void compensationStarted(CompensationStarted event) {
        if (inbox.seen(event.eventId())
                || requestRead(event.connectionId()) && requests.find(event.connectionId()).isEmpty()) {
            return;
        }
        UnreadRequest unread = requests.lockOrCreate(event.connectionId());
        unread.compensationStarted(event.securityModel(), Instant.now());
        unread.takeWaitingTrigger().ifPresent(trigger -> answer(unread, trigger));
    }

    /**
     * RemoteRemoved or RemoteRemovalFailed of a connection whose request was never read: answered at once once
     * CompensationStarted came, else kept until it comes (with tombstones, so a request arriving after all is never
     * run). A redelivered trigger changes nothing.
     */
    @Transactional
    public void undoAsked(ConnectionEvent event) {
        if (inbox.seen(event.eventId())) {
            return;
        }
        inbox.record(event);
        UnreadRequest unread = requests.lockOrCreate(event.connectionId());
        UndoTrigger trigger = UndoTrigger.of(event);
        if (unread.compensationSeen()) {
            answer(unread, trigger);
            return;
        }
        Instant now = Instant.now();
        entries.lockOrCreate(event.connectionId()).startCompensation(now);
        links.lockOrCreate(event.connectionId()).startCompensation(now);
        unread.awaitCompensation(trigger);
        LOG.infof("connection %s: %s before CompensationStarted, no request read; answered once CompensationStarted"
                + " names the security model", event.connectionId(), event.cloudEventType());
    }

    private void answer(UnreadRequest unread, UndoTrigger trigger) {
        String connectionId = unread.connectionId;
        ConnectionEvent answer;
        if (unread.securityModel == SecurityModel.API_KEY) {
            answer = new KeystoreEntryRemoved(Outbox.newEventId(), connectionId, Instant.now(),
                    trigger.credentialsSetting(), false, trigger.chain());
        } else if (unread.securityModel == SecurityModel.TLS_CERTIFICATE) {
            answer = new TrustRemoved(Outbox.newEventId(), connectionId, Instant.now(), List.of(), false,
                    trigger.chain());
        } else {
            LOG.warnf("connection %s: its request was never read here and CompensationStarted names no security"
                    + " model: no undo answer (connect-service's undo deadline ends the chain)", connectionId);
            return;
        }
        outbox.publish(answer);
        LOG.infof("connection %s: its ConnectionRequested was never read here (dead-lettered), so nothing was changed"
                + " for it: %s(removed=false) at once", connectionId, answer.getClass().getSimpleName());
    }
}

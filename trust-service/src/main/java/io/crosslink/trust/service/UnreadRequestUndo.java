package io.crosslink.trust.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The consumer's part of the undo of a connection whose request this service never read ({@link UnreadRequestLedger}):
 * answered from the model CompensationStarted names, without a call. What throws is the database, tried again briefly.
 */
@ApplicationScoped
public class UnreadRequestUndo {
    private final UnreadRequestLedger ledger;

    public UnreadRequestUndo(UnreadRequestLedger ledger) {
        this.ledger = ledger;
    }

    /** Whether the undo of the connection is this: no request of it was read here. */
    public boolean handles(String connectionId) {
        return !ledger.requestRead(connectionId);
    }

    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public void compensationStarted(CompensationStarted event) {
        ledger.compensationStarted(event);
    }

    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public void undoAsked(ConnectionEvent trigger) {
        ledger.undoAsked(trigger);
    }
}

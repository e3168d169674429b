package io.crosslink.connect.domain;

import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.UndoDone;
import io.crosslink.events.ConnectionEvent.UndoFailed;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.StepFailure;

/**
 * One run of the undo chain (CompensationStarted → RemoteRemoved → KeystoreEntryRemoved → KeyInvalidated, or
 * the *Failed of each link) and what each link reported so far; {@code null} links have not reported. The chain
 * is complete once all three have: the key undo is the last link, but its event may overtake the keystore's (they
 * arrive on different topics), so completion waits for every link. The first report of a link counts; a second
 * one (a redelivery with a new event id after a crash) is only recorded in the timeline.
 */
public record Compensation(CompensationCause cause, Undo remote, Undo keystore, Undo key) {

    /** What an undo reported: done ({@code removed} says whether there was something to remove) or failed. */
    public record Undo(boolean removed, StepFailure failure) {
        public boolean failed() {
            return failure != null;
        }

        static Undo of(ConnectionEvent event) {
            return event instanceof UndoFailed failed ? new Undo(false, failed.failure())
                    : new Undo(((UndoDone) event).removed(), null);
        }
    }

    public static Compensation begin(CompensationCause cause) {
        return new Compensation(cause, null, null, null);
    }

    /** Whether the event is an undo event of the chain. */
    public static boolean isUndo(ConnectionEvent event) {
        return event instanceof UndoDone || event instanceof UndoFailed;
    }

    /** This chain with the undo event's report, unless its link has reported already. */
    public Compensation record(ConnectionEvent event) {
        if (event instanceof RemoteRemoved || event instanceof RemoteRemovalFailed) {
            return remote != null ? this : new Compensation(cause, Undo.of(event), keystore, key);
        }
        if (event instanceof KeystoreEntryRemoved || event instanceof KeystoreEntryRemovalFailed) {
            return keystore != null ? this : new Compensation(cause, remote, Undo.of(event), key);
        }
        if (event instanceof KeyInvalidated || event instanceof KeyInvalidationFailed) {
            return key != null ? this : new Compensation(cause, remote, keystore, Undo.of(event));
        }
        return this;
    }

    public boolean complete() {
        return remote != null && keystore != null && key != null;
    }

    public boolean anyFailed() {
        return failed(remote) || failed(keystore) || failed(key);
    }

    /** The terminal status of a complete chain. */
    public ConnectionStatus outcome() {
        if (anyFailed()) {
            return ConnectionStatus.FAILED;
        }
        return cause == CompensationCause.DISCONNECT ? ConnectionStatus.DISCONNECTED : ConnectionStatus.COMPENSATED;
    }

    private static boolean failed(Undo undo) {
        return undo != null && undo.failed();
    }
}

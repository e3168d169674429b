package io.crosslink.trust.domain;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.UndoDone;
import io.crosslink.events.ConnectionEvent.UndoFailed;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.UndoChain;

/**
 * The undo request an answer is for: the event that asked (RemoteRemoved or RemoteRemovalFailed, each answered once),
 * the run of the undo chain it carries and the answer carries back ({@code chain}, null in events from before runs
 * were told apart), and the alias RemoteRemoved names (null otherwise).
 */
public record UndoTrigger(String eventId, UndoChain chain, String alias) {

    public static UndoTrigger of(ConnectionEvent trigger) {
        UndoChain chain = trigger instanceof UndoDone done ? done.chain()
                : trigger instanceof UndoFailed failed ? failed.chain() : null;
        String alias = trigger instanceof RemoteRemoved removed ? removed.alias() : null;
        return new UndoTrigger(trigger.eventId(), chain, alias);
    }

    /** The keystore setting named after the alias, for an answer when the request is not known; "" without one. */
    public String credentialsSetting() {
        return alias != null ? ConnectionRequest.credentialsSetting(alias) : "";
    }
}

package io.crosslink.connect.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.crosslink.events.Certainty;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.TrustRemovalFailed;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.UndoDeadlinePassed;
import io.crosslink.events.ConnectionEvent.UndoDone;
import io.crosslink.events.ConnectionEvent.UndoFailed;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.SigningAuthorityLeft;
import io.crosslink.events.StepFailure;
import io.crosslink.events.UndoChain;
import java.util.List;

/**
 * One run of the undo chain and what each link reported so far; {@code null} links have not reported. The links
 * depend on the security model ({@code model}, persisted with the chain; absent in chains stored before the
 * certificate model existed, which are API-key chains):
 * <ul>
 * <li>API key: CompensationStarted → RemoteRemoved → KeystoreEntryRemoved → KeyInvalidated (or the *Failed of each);
 * complete once all three reported: the key undo is the last link, but its event may overtake the keystore's (they
 * arrive on different topics), so completion waits for every link;</li>
 * <li>certificate model: CompensationStarted → RemoteRemoved → TrustRemoved (or the *Failed of each); no key, no
 * keystore entry; complete once both reported.</li>
 * </ul>
 * The first report of a link counts; a second one (a redelivery with a new event id after a crash) is only recorded
 * in the timeline, and so is a report of another run ({@code chain}: an earlier run's late answer after a re-run).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Compensation(CompensationCause cause, Undo remote, Undo keystore, Undo key, Undo trust,
        SecurityModel model, UndoChain chain) {

    /**
     * What an undo reported: done ({@code removed} says whether there was something to remove) or failed, with how
     * sure the undoing service is that its thing is still there ({@code certainty}, read after the failure) and, for
     * keys, the active key ids that read found; for the keystore link with strong identity, R's signing CA when its
     * release failed ({@code signingAuthority}).
     */
    public record Undo(boolean removed, StepFailure failure, Certainty certainty, List<String> foundIds,
            SigningAuthorityLeft signingAuthority) {
        public Undo {
            foundIds = foundIds == null ? List.of() : List.copyOf(foundIds);
        }

        public Undo(boolean removed, StepFailure failure, Certainty certainty, List<String> foundIds) {
            this(removed, failure, certainty, foundIds, null);
        }

        public Undo(boolean removed, StepFailure failure) {
            this(removed, failure, failure == null ? null : Certainty.POSSIBLE, List.of());
        }

        public boolean failed() {
            return failure != null;
        }

        /** Confirmed only when the undoing service said so after a read; anything else (older events too) possible. */
        public Certainty certaintyOrPossible() {
            return Certainty.orPossible(certainty);
        }

        static Undo of(ConnectionEvent event) {
            if (event instanceof KeyInvalidationFailed failed) {
                return new Undo(false, failed.failure(), failed.certainty(), failed.activeKeyIds());
            }
            if (event instanceof KeystoreEntryRemovalFailed failed) {
                return new Undo(false, failed.failure(), failed.certainty(), List.of(), failed.signingAuthority());
            }
            return event instanceof UndoFailed failed ? new Undo(false, failed.failure(), failed.certainty(), List.of())
                    : new Undo(((UndoDone) event).removed(), null);
        }
    }

    /** An API-key chain. */
    public Compensation(CompensationCause cause, Undo remote, Undo keystore, Undo key) {
        this(cause, remote, keystore, key, null, SecurityModel.API_KEY, null);
    }

    /** A chain stored before runs were told apart: every report counts. */
    public Compensation(CompensationCause cause, Undo remote, Undo keystore, Undo key, Undo trust, SecurityModel model) {
        this(cause, remote, keystore, key, trust, model, null);
    }

    /** An API-key chain begins. */
    public static Compensation begin(CompensationCause cause) {
        return begin(cause, SecurityModel.API_KEY);
    }

    public static Compensation begin(CompensationCause cause, SecurityModel model) {
        return begin(cause, model, null);
    }

    /** The run {@code chain} of the undo chain begins; only its reports count. */
    public static Compensation begin(CompensationCause cause, SecurityModel model, UndoChain chain) {
        return new Compensation(cause, null, null, null, null, model == null ? SecurityModel.API_KEY : model, chain);
    }

    /** Whether the undo event answers this run (or one of a time before runs were told apart). */
    public boolean answers(ConnectionEvent event) {
        UndoChain answered = event instanceof UndoDone done ? done.chain()
                : event instanceof UndoFailed failed ? failed.chain() : null;
        return chain == null || chain.accepts(answered);
    }

    /** Whether the event is an undo event of the chain. */
    public static boolean isUndo(ConnectionEvent event) {
        return event instanceof UndoDone || event instanceof UndoFailed;
    }

    @JsonIgnore
    public boolean certificateModel() {
        return model == SecurityModel.TLS_CERTIFICATE;
    }

    /** This chain with the undo event's report, unless its link has reported already or it answers another run. */
    public Compensation record(ConnectionEvent event) {
        if (!answers(event)) {
            return this;
        }
        if (event instanceof UndoDeadlinePassed passed) {
            // Every link still silent failed: what it should have undone is possibly left.
            List<String> silent = waitingFor();
            Undo timedOut = new Undo(false, passed.failure(), Certainty.POSSIBLE, List.of());
            return new Compensation(cause, silent.contains("remote") ? timedOut : remote,
                    silent.contains("keystore") ? timedOut : keystore, silent.contains("key") ? timedOut : key,
                    silent.contains("trust") ? timedOut : trust, model, chain);
        }
        if (event instanceof RemoteRemoved || event instanceof RemoteRemovalFailed) {
            return remote != null ? this : new Compensation(cause, Undo.of(event), keystore, key, trust, model, chain);
        }
        if (event instanceof KeystoreEntryRemoved || event instanceof KeystoreEntryRemovalFailed) {
            return keystore != null ? this : new Compensation(cause, remote, Undo.of(event), key, trust, model, chain);
        }
        if (event instanceof KeyInvalidated || event instanceof KeyInvalidationFailed) {
            return key != null ? this : new Compensation(cause, remote, keystore, Undo.of(event), trust, model, chain);
        }
        if (event instanceof TrustRemoved || event instanceof TrustRemovalFailed) {
            return trust != null ? this : new Compensation(cause, remote, keystore, key, Undo.of(event), model, chain);
        }
        return this;
    }

    /** The links of the model's chain that have not reported yet: {@code remote}, {@code keystore}, {@code key}, {@code trust}. */
    @JsonIgnore
    public List<String> waitingFor() {
        List<String> waiting = new java.util.ArrayList<>();
        if (remote == null) {
            waiting.add("remote");
        }
        if (certificateModel()) {
            if (trust == null) {
                waiting.add("trust");
            }
        } else {
            if (keystore == null) {
                waiting.add("keystore");
            }
            if (key == null) {
                waiting.add("key");
            }
        }
        return waiting;
    }

    /** Every link of the model's chain reported. */
    @JsonIgnore
    public boolean complete() {
        return certificateModel() ? remote != null && trust != null
                : remote != null && keystore != null && key != null;
    }

    @JsonIgnore
    public boolean anyFailed() {
        return failed(remote) || failed(keystore) || failed(key) || failed(trust);
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

package io.crosslink.connect.domain;

import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionDocument.TimelineEntry;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRegistrationFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.StepFailed;
import io.crosslink.events.ConnectionEvent.TrustRemovalFailed;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdateFailed;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.ConnectionEvent.UndoDeadlinePassed;
import io.crosslink.events.ConnectionEvent.UndoFailed;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.EventCodec;
import io.crosslink.events.RoleChange;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How an event moves a connection, without side effects:
 * <ul>
 * <li>the status only advances along the happy path (events of different topics arrive in any order, so a late
 * KeyCreated after KeystoreUpdated changes nothing);</li>
 * <li>a failed step of a connection in flight asks for compensation ({@link Folded#startsCompensation()}: the
 * caller emits CompensationStarted in the same transaction); CompensationStarted moves it to COMPENSATING, or
 * DISCONNECTING for a disconnect, or straight to COMPENSATED when the saga never started (no chain to run);</li>
 * <li>undo events complete the chain's links ({@link Compensation}: remote, keystore, key in the API-key model;
 * remote, trust in the certificate model); once all reported, the connection is COMPENSATED or DISCONNECTED, or
 * FAILED when an undo failed;</li>
 * <li>TrustUpdated (certificate model) reaches TRUST_UPDATED, the rank of KEYSTORE_UPDATED; TrustUpdateFailed starts
 * compensation like any failed step;</li>
 * <li>while compensating, and in terminal statuses, everything else (a second failure, a late success) is only
 * recorded. A terminal VERIFIED or FAILED connection can still be compensated (DELETE).</li>
 * </ul>
 * Every event adds a timeline entry, kept in the order the events occurred.
 */
public final class StatusFolding {

    /** Saga steps as the timeline names them. */
    public static final String VALIDATE = "validate";
    public static final String CREATE_KEY = "create_key";
    public static final String UPDATE_KEYSTORE = "update_keystore";
    /** Certificate model: trust both ways (trust-service). */
    public static final String UPDATE_TRUST = "update_trust";
    public static final String REGISTER_REMOTE = "register_remote";
    public static final String VERIFY = "verify";
    /** Undo steps. */
    public static final String COMPENSATE = "compensate";
    public static final String REMOVE_REMOTE = "remove_remote";
    public static final String REMOVE_KEYSTORE_ENTRY = "remove_keystore_entry";
    public static final String INVALIDATE_KEY = "invalidate_key";
    public static final String REMOVE_TRUST = "remove_trust";
    /** The undo chain outlived {@code crosslink.saga.undo-deadline}. */
    public static final String UNDO_DEADLINE = "undo_deadline";

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    /**
     * What folding works on: {@code compensation} is the current (or last) undo chain, null before any;
     * {@code sagaStarted} whether ConnectionRequested was emitted (otherwise nothing on Elastic can exist);
     * {@code model} the request's security model, which decides the links of a chain that begins.
     */
    public record State(ConnectionStatus status, List<TimelineEntry> timeline, Compensation compensation,
            boolean sagaStarted, SecurityModel model) {

        /** An API-key connection. */
        public State(ConnectionStatus status, List<TimelineEntry> timeline, Compensation compensation,
                boolean sagaStarted) {
            this(status, timeline, compensation, sagaStarted, SecurityModel.API_KEY);
        }
    }

    /**
     * The state after the event; {@code advanced} when the status changed; {@code startsCompensation} when the
     * event is a failed step of a connection in flight: CompensationStarted(failure) must follow.
     */
    public record Folded(State state, boolean advanced, boolean startsCompensation) {
        public ConnectionStatus status() {
            return state.status();
        }

        public List<TimelineEntry> timeline() {
            return state.timeline();
        }

        public Compensation compensation() {
            return state.compensation();
        }
    }

    private StatusFolding() {
    }

    /** Folding for a connection whose saga started and that has no undo chain yet. */
    public static Folded fold(ConnectionStatus current, List<TimelineEntry> timeline, ConnectionEvent event) {
        return fold(new State(current, timeline, null, true), event);
    }

    public static Folded fold(State state, ConnectionEvent event) {
        List<TimelineEntry> timeline = insertInOrder(state.timeline(), entry(event));
        ConnectionStatus status = state.status();
        Compensation compensation = state.compensation();
        boolean startsCompensation = false;
        if (event instanceof CompensationStarted started) {
            if (compensable(status)) {
                compensation = Compensation.begin(started.cause(), state.model(), started.chain());
                status = !state.sagaStarted() ? ConnectionStatus.COMPENSATED
                        : started.cause() == CompensationCause.DISCONNECT ? ConnectionStatus.DISCONNECTING
                                : ConnectionStatus.COMPENSATING;
            }
        } else if (Compensation.isUndo(event)) {
            if (compensating(status) && compensation != null) {
                compensation = compensation.record(event);
                if (compensation.complete()) {
                    status = compensation.outcome();
                }
            }
        } else if (event instanceof StepFailed) {
            startsCompensation = inFlight(status);
        } else {
            status = next(status, event);
        }
        return new Folded(new State(status, timeline, compensation, state.sagaStarted(), state.model()),
                status != state.status(), startsCompensation);
    }

    /** Rank on the happy path, or -1 for statuses off it. */
    public static int rank(ConnectionStatus status) {
        return switch (status) {
            case REQUESTED -> 0;
            case KEY_CREATED -> 1;
            // The two models' counterparts: a keystore entry (API key) or trust both ways (certificates).
            case KEYSTORE_UPDATED, TRUST_UPDATED -> 2;
            case REMOTE_CONNECTED -> 3;
            case VERIFIED -> 4;
            default -> -1;
        };
    }

    /** On the happy path and not yet VERIFIED: the saga's deadline applies, a failed step compensates. */
    public static boolean inFlight(ConnectionStatus status) {
        return rank(status) >= 0 && status != ConnectionStatus.VERIFIED;
    }

    /**
     * Whether going from {@code before} to {@code after} ends the connection's saga: its first terminal status
     * (VERIFIED, REJECTED, COMPENSATED or FAILED), reached from in flight or from the undo run that in-flight saga
     * started. A later terminal status ends no saga of its own: DISCONNECTED (or FAILED) after a disconnect of a
     * VERIFIED connection, COMPENSATED or FAILED after the undo of a FAILED one ran again ({@code DELETE}), which
     * the timeline shows as a second {@code compensate} entry. What the saga's duration is recorded for, once.
     */
    public static boolean endsSaga(State before, State after) {
        ConnectionStatus from = before.status();
        ConnectionStatus to = after.status();
        if (from == to || !to.terminal()) {
            return false;
        }
        if (inFlight(from)) {
            return true;
        }
        return compensating(from) && before.compensation() != null
                && before.compensation().cause() != CompensationCause.DISCONNECT
                && before.timeline().stream().filter(entry -> COMPENSATE.equals(entry.step())).count() == 1;
    }

    /** An undo chain is running. */
    public static boolean compensating(ConnectionStatus status) {
        return status == ConnectionStatus.COMPENSATING || status == ConnectionStatus.DISCONNECTING;
    }

    /**
     * Whether a compensation may start: in flight, VERIFIED (a disconnect) or FAILED (undo again what the last
     * chain left). Not while a chain runs, and not once COMPENSATED, DISCONNECTED or REJECTED.
     */
    public static boolean compensable(ConnectionStatus status) {
        return inFlight(status) || status == ConnectionStatus.VERIFIED || status == ConnectionStatus.FAILED;
    }

    static ConnectionStatus next(ConnectionStatus current, ConnectionEvent event) {
        if (current.terminal()) {
            return current;
        }
        if (event instanceof ConnectionRejected) {
            return current == ConnectionStatus.REQUESTED ? ConnectionStatus.REJECTED : current;
        }
        ConnectionStatus reached = reached(event);
        return reached != null && rank(current) >= 0 && rank(reached) > rank(current) ? reached : current;
    }

    /** The status a successful step reaches, null for an event that is no step of the happy path. */
    static ConnectionStatus reached(ConnectionEvent event) {
        if (event instanceof ConnectionRequested) {
            return ConnectionStatus.REQUESTED;
        }
        if (event instanceof KeyCreated) {
            return ConnectionStatus.KEY_CREATED;
        }
        if (event instanceof KeystoreUpdated) {
            return ConnectionStatus.KEYSTORE_UPDATED;
        }
        if (event instanceof TrustUpdated) {
            return ConnectionStatus.TRUST_UPDATED;
        }
        if (event instanceof RemoteConnected) {
            return ConnectionStatus.REMOTE_CONNECTED;
        }
        if (event instanceof ConnectionVerified) {
            return ConnectionStatus.VERIFIED;
        }
        return null;
    }

    static String step(ConnectionEvent event) {
        if (event instanceof ConnectionRequested || event instanceof ConnectionRejected) {
            return VALIDATE;
        }
        if (event instanceof KeyCreated || event instanceof KeyCreationFailed) {
            return CREATE_KEY;
        }
        if (event instanceof KeystoreUpdated || event instanceof KeystoreUpdateFailed) {
            return UPDATE_KEYSTORE;
        }
        if (event instanceof RemoteConnected || event instanceof RemoteRegistrationFailed) {
            return REGISTER_REMOTE;
        }
        if (event instanceof ConnectionVerified || event instanceof VerificationFailed) {
            return VERIFY;
        }
        if (event instanceof CompensationStarted) {
            return COMPENSATE;
        }
        if (event instanceof RemoteRemoved || event instanceof RemoteRemovalFailed) {
            return REMOVE_REMOTE;
        }
        if (event instanceof KeystoreEntryRemoved || event instanceof KeystoreEntryRemovalFailed) {
            return REMOVE_KEYSTORE_ENTRY;
        }
        if (event instanceof KeyInvalidated || event instanceof KeyInvalidationFailed) {
            return INVALIDATE_KEY;
        }
        if (event instanceof TrustUpdated || event instanceof TrustUpdateFailed) {
            return UPDATE_TRUST;
        }
        if (event instanceof TrustRemoved || event instanceof TrustRemovalFailed) {
            return REMOVE_TRUST;
        }
        if (event instanceof UndoDeadlinePassed) {
            return UNDO_DEADLINE;
        }
        // A newer event type of the shared contract: named after itself until this service knows it.
        return event.getClass().getSimpleName();
    }

    /**
     * The timeline entry of an event. A failure carries Elastic's error; CompensationStarted carries its cause in
     * {@code errorType} ({@code failure}, {@code deadline}, {@code cancel}, {@code disconnect}) and what it means in
     * {@code errorReason} (for a failure: the failure's type and reason), with outcome {@code ok}.
     */
    static TimelineEntry entry(ConnectionEvent event) {
        String name = event.getClass().getSimpleName();
        if (event instanceof StepFailed failed) {
            return failedEntry(event, failed.failure());
        }
        if (event instanceof UndoFailed failed) {
            return failedEntry(event, failed.failure());
        }
        if (event instanceof ConnectionRejected rejected) {
            return new TimelineEntry(step(event), FAILED, event.occurredAt(), name, "rejected",
                    describe(rejected.reasons()), null);
        }
        if (event instanceof CompensationStarted started) {
            return new TimelineEntry(COMPENSATE, OK, event.occurredAt(), name, causeName(started.cause()),
                    describe(started), null);
        }
        return new TimelineEntry(step(event), OK, event.occurredAt(), name, null, null, null, roles(event),
                event instanceof ConnectionEvent.Warned warned && !warned.warnings().isEmpty() ? warned.warnings() : null);
    }

    /** The local roles a registration applied or a removal undid, shown with its step; null when none. */
    static List<RoleChange> roles(ConnectionEvent event) {
        List<RoleChange> roles = event instanceof RemoteConnected connected ? connected.roles()
                : event instanceof RemoteRemoved removed ? removed.roles() : null;
        return roles == null || roles.isEmpty() ? null : roles;
    }

    private static TimelineEntry failedEntry(ConnectionEvent event, StepFailure failure) {
        return new TimelineEntry(step(event), FAILED, event.occurredAt(), event.getClass().getSimpleName(),
                failure.type(), failure.reason(), failure.httpStatus());
    }

    /** The cause as it is spelled on the wire, e.g. {@code deadline}. */
    public static String causeName(CompensationCause cause) {
        return EventCodec.mapper().convertValue(cause, String.class);
    }

    static String describe(CompensationStarted started) {
        return switch (started.cause()) {
            case FAILURE -> started.failure() == null ? "a step failed"
                    : "a step failed: " + started.failure().type() + ": " + started.failure().reason();
            case DEADLINE -> "the saga's deadline passed before the connection was verified";
            case CANCEL -> "cancelled by DELETE";
            case DISCONNECT -> "disconnected by DELETE";
        };
    }

    static String describe(List<Violation> reasons) {
        return reasons.stream().map(v -> v.field() + ": " + v.reason()).collect(Collectors.joining("; "));
    }

    /** Appends after every entry that did not occur later (stable for equal times). */
    static List<TimelineEntry> insertInOrder(List<TimelineEntry> timeline, TimelineEntry entry) {
        List<TimelineEntry> result = new ArrayList<>(timeline);
        int at = result.size();
        while (at > 0 && result.get(at - 1).at().isAfter(entry.at())) {
            at--;
        }
        result.add(at, entry);
        return List.copyOf(result);
    }
}

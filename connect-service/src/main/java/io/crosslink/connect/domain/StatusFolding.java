package io.crosslink.connect.domain;

import io.crosslink.events.ConnectionDocument.TimelineEntry;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRegistrationFailed;
import io.crosslink.events.ConnectionEvent.StepFailed;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How an event moves a connection: the status only advances along the happy path (events of different topics
 * arrive in any order, so a late KeyCreated after KeystoreUpdated changes nothing), a failed step ends the
 * connection in FAILED (compensation will turn this into COMPENSATING), and terminal statuses stay. Every
 * event adds a timeline entry, kept in the order the events occurred.
 */
public final class StatusFolding {

    /** Saga steps as the timeline names them. */
    public static final String VALIDATE = "validate";
    public static final String CREATE_KEY = "create_key";
    public static final String UPDATE_KEYSTORE = "update_keystore";
    public static final String REGISTER_REMOTE = "register_remote";
    public static final String VERIFY = "verify";

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    /** The new status and timeline; {@code advanced} when the status changed. */
    public record Folded(ConnectionStatus status, List<TimelineEntry> timeline, boolean advanced) {
    }

    private StatusFolding() {
    }

    public static Folded fold(ConnectionStatus current, List<TimelineEntry> timeline, ConnectionEvent event) {
        ConnectionStatus next = next(current, event);
        return new Folded(next, insertInOrder(timeline, entry(event)), next != current);
    }

    /** Rank on the happy path, or -1 for statuses off it. */
    public static int rank(ConnectionStatus status) {
        return switch (status) {
            case REQUESTED -> 0;
            case KEY_CREATED -> 1;
            case KEYSTORE_UPDATED -> 2;
            case REMOTE_CONNECTED -> 3;
            case VERIFIED -> 4;
            default -> -1;
        };
    }

    static ConnectionStatus next(ConnectionStatus current, ConnectionEvent event) {
        if (current.terminal()) {
            return current;
        }
        if (event instanceof ConnectionRejected) {
            return current == ConnectionStatus.REQUESTED ? ConnectionStatus.REJECTED : current;
        }
        if (event instanceof StepFailed) {
            return rank(current) >= 0 ? ConnectionStatus.FAILED : current;
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
        // A newer event type of the shared contract: named after itself until this service knows it.
        return event.getClass().getSimpleName();
    }

    static TimelineEntry entry(ConnectionEvent event) {
        String name = event.getClass().getSimpleName();
        if (event instanceof StepFailed failed) {
            StepFailure failure = failed.failure();
            return new TimelineEntry(step(event), FAILED, event.occurredAt(), name, failure.type(), failure.reason(),
                    failure.httpStatus());
        }
        if (event instanceof ConnectionRejected rejected) {
            return new TimelineEntry(step(event), FAILED, event.occurredAt(), name, "rejected",
                    describe(rejected.reasons()), null);
        }
        return new TimelineEntry(step(event), OK, event.occurredAt(), name, null, null, null);
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

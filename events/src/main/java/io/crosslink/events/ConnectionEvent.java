package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Every event of the connection saga. Records are keyed by {@link #connectionId()} on Kafka; the record value
 * is the event's JSON and its CloudEvents type is {@code crosslink.<simple class name>} (see {@link EventCodec}).
 * {@link #eventId()} is unique per event and is what consumers record in their inbox.
 *
 * <p>Each service writes only to its own topic: connect-service the request, rejection and remote
 * registration events, key-service the key events, trust-service the keystore events, verify-service the
 * verification events (see {@link Topics#ownerOf}).
 */
public sealed interface ConnectionEvent {

    @JsonProperty(required = true)
    String eventId();

    @JsonProperty(required = true)
    String connectionId();

    @JsonProperty(required = true)
    Instant occurredAt();

    /** The CloudEvents type, {@code crosslink.KeyCreated} for example. */
    @JsonIgnore
    default String cloudEventType() {
        return EventCodec.cloudEventType(getClass());
    }

    /** A step that failed: the failure event carries what Elastic said, with anything secret redacted. */
    sealed interface StepFailed extends ConnectionEvent {
        StepFailure failure();
    }

    /**
     * An undo of the compensation chain finished: what the step had done is gone (or there was nothing to
     * undo, {@code removed=false}). Each undo success or failure triggers the next undo in reverse order:
     * CompensationStarted → RemoteRemoved → KeystoreEntryRemoved → KeyInvalidated (API-key model), or
     * CompensationStarted → RemoteRemoved → TrustRemoved (certificate model: no key).
     */
    sealed interface UndoDone extends ConnectionEvent {
        boolean removed();
    }

    /** An undo that could not complete after its retries: something is left behind, named in the failure. */
    sealed interface UndoFailed extends ConnectionEvent {
        StepFailure failure();
    }

    // --- connect-service (connect-events) ---

    /** The saga starts: a validated request with what connect-service learned about both deployments. */
    record ConnectionRequested(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) ConnectionRequest request,
            @JsonProperty(required = true) DeploymentInfo local,
            @JsonProperty(required = true) DeploymentInfo remote) implements ConnectionEvent {
    }

    /** Checks that need Elastic failed after the request was accepted; no saga step ran. */
    record ConnectionRejected(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) List<Violation> reasons) implements ConnectionEvent {
    }

    /**
     * The remote is registered in L's cluster settings, with the credentials from L's keystore; the request's
     * local roles, if any, are applied on L ({@code roles}: what was created or updated; absent when none).
     */
    record RemoteConnected(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String alias,
            @JsonProperty(required = true) String proxyAddress,
            @JsonProperty(required = true) String serverName,
            @JsonProperty(required = true) boolean skipUnavailable,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RoleChange> roles) implements ConnectionEvent {

        /** Registered, no roles applied. */
        public RemoteConnected(String eventId, String connectionId, Instant occurredAt, String alias,
                String proxyAddress, String serverName, boolean skipUnavailable) {
            this(eventId, connectionId, occurredAt, alias, proxyAddress, serverName, skipUnavailable, null);
        }
    }

    record RemoteRegistrationFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements StepFailed {
    }

    /**
     * Compensation (a step failed, the saga's deadline passed) or a disconnect begins. Undo runs in reverse
     * order of the steps, each owned by the service that did the step and triggered by the previous undo's
     * event: connect-service removes the remote ({@link RemoteRemoved}), then trust-service the keystore entry
     * ({@link KeystoreEntryRemoved}), then key-service invalidates the key ({@link KeyInvalidated}). A service
     * that sees this event before its own step ran must never run the step afterwards (a tombstone).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CompensationStarted(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) CompensationCause cause,
            /** The failure that started it, when {@code cause} is FAILURE. */
            StepFailure failure) implements ConnectionEvent {
    }

    /**
     * L's cluster settings no longer hold the alias (every setting of it nulled in one request); before that, the
     * local roles the saga created were deleted and those it changed restored ({@code roles}; absent when none).
     */
    record RemoteRemoved(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String alias,
            @JsonProperty(required = true) boolean removed,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RoleChange> roles) implements UndoDone {

        /** Removed (or nothing to remove), no roles undone. */
        public RemoteRemoved(String eventId, String connectionId, Instant occurredAt, String alias, boolean removed) {
            this(eventId, connectionId, occurredAt, alias, removed, null);
        }
    }

    record RemoteRemovalFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements UndoFailed {
    }

    // --- key-service (key-events) ---

    /** The cross-cluster API key exists on R. Its encoded value travels only sealed for trust-service. */
    record KeyCreated(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String keyId,
            @JsonProperty(required = true) String keyName,
            @JsonProperty(required = true) SealedSecret encodedKey) implements ConnectionEvent {
    }

    record KeyCreationFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements StepFailed {
    }

    /** The saga's API keys on R are invalidated (every active key named {@code crosslink-<connectionId>}). */
    record KeyInvalidated(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) List<String> keyIds,
            @JsonProperty(required = true) boolean removed) implements UndoDone {
    }

    record KeyInvalidationFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements UndoFailed {
    }

    // --- trust-service (trust-events) ---

    /** L's keystore holds {@code cluster.remote.<alias>.credentials} and the reload was requested. */
    record KeystoreUpdated(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String settingName) implements ConnectionEvent {
    }

    record KeystoreUpdateFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements StepFailed {
    }

    /** L's keystore no longer holds {@code cluster.remote.<alias>.credentials}. */
    record KeystoreEntryRemoved(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String settingName,
            @JsonProperty(required = true) boolean removed) implements UndoDone {
    }

    record KeystoreEntryRemovalFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements UndoFailed {
    }

    /**
     * Certificate model: both deployments trust each other's certificates ({@code edits}: what was changed on each
     * side, none for a side that already trusted the peer), and neither reports a pending plan any more.
     */
    record TrustUpdated(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) List<TrustEdit> edits) implements ConnectionEvent {
    }

    record TrustUpdateFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements StepFailed {
    }

    /**
     * Certificate model, last undo: what TrustUpdated added is gone from both deployments' trust settings, every
     * other entry untouched ({@code edits}: what was undone; {@code removed=false} when there was nothing).
     */
    record TrustRemoved(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) List<TrustEdit> edits,
            @JsonProperty(required = true) boolean removed) implements UndoDone {
    }

    record TrustRemovalFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements UndoFailed {
    }

    // --- verify-service (verify-events) ---

    /** A search through the remote succeeded inside the granted access. */
    record ConnectionVerified(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String probe,
            @JsonProperty(required = true) long probeHits,
            @JsonProperty(required = true) int connectedSockets,
            @JsonProperty(required = true) int attempts) implements ConnectionEvent {
    }

    record VerificationFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements StepFailed {
    }
}

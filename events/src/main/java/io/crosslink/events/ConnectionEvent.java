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
 * verification events: each record declares its topic ({@link PublishedOn}).
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

    /**
     * A forward step done through Elastic: {@code warnings} are the texts of the {@code Warning} headers Elastic
     * answered the step's calls with (9.x deprecations, e.g. of the certificate model), redacted, each once; empty
     * (and absent on the wire) when there were none.
     */
    sealed interface Warned extends ConnectionEvent {
        List<String> warnings();

        static List<String> normalised(List<String> warnings) {
            return warnings == null ? List.of() : List.copyOf(warnings);
        }
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

        /** The run of the undo chain this answers (absent in events written before runs were told apart). */
        UndoChain chain();
    }

    /**
     * An undo that could not complete after its retries: something is left behind, named in the failure. After the
     * failure the undoing service read the real state: {@code certainty} is {@code confirmed} when that read showed
     * the thing still exists, {@code possible} when the read could not tell (absent in older events: possible).
     */
    sealed interface UndoFailed extends ConnectionEvent {
        StepFailure failure();

        Certainty certainty();

        /** The run of the undo chain this answers (absent in events written before runs were told apart). */
        UndoChain chain();
    }

    // --- connect-service (connect-events) ---

    /**
     * The saga starts: a validated request with what connect-service learned about both deployments, and, for a
     * request with {@code certificateIdentity}, the strong-identity facts every step applies.
     */
    @PublishedOn(Topics.CONNECT_EVENTS)
    record ConnectionRequested(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) ConnectionRequest request,
            @JsonProperty(required = true) DeploymentInfo local,
            @JsonProperty(required = true) DeploymentInfo remote,
            @JsonInclude(JsonInclude.Include.NON_NULL) StrongIdentity strongIdentity) implements ConnectionEvent {

        /** Without strong identity. */
        public ConnectionRequested(String eventId, String connectionId, Instant occurredAt, ConnectionRequest request,
                DeploymentInfo local, DeploymentInfo remote) {
            this(eventId, connectionId, occurredAt, request, local, remote, null);
        }
    }

    /** Checks that need Elastic failed after the request was accepted; no saga step ran. */
    @PublishedOn(Topics.CONNECT_EVENTS)
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
    @PublishedOn(Topics.CONNECT_EVENTS)
    record RemoteConnected(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String alias,
            @JsonProperty(required = true) String proxyAddress,
            @JsonProperty(required = true) String serverName,
            @JsonProperty(required = true) boolean skipUnavailable,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RoleChange> roles,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) implements Warned {

        public RemoteConnected {
            warnings = Warned.normalised(warnings);
        }

        /** Registered, no roles applied. */
        public RemoteConnected(String eventId, String connectionId, Instant occurredAt, String alias,
                String proxyAddress, String serverName, boolean skipUnavailable) {
            this(eventId, connectionId, occurredAt, alias, proxyAddress, serverName, skipUnavailable, null, null);
        }

        /** Registered with these roles, no warnings. */
        public RemoteConnected(String eventId, String connectionId, Instant occurredAt, String alias,
                String proxyAddress, String serverName, boolean skipUnavailable, List<RoleChange> roles) {
            this(eventId, connectionId, occurredAt, alias, proxyAddress, serverName, skipUnavailable, roles, null);
        }
    }

    @PublishedOn(Topics.CONNECT_EVENTS)
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
    @PublishedOn(Topics.CONNECT_EVENTS)
    record CompensationStarted(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) CompensationCause cause,
            /** The failure that started it, when {@code cause} is FAILURE. */
            StepFailure failure,
            /** This run of the undo chain: every undo answer carries it back. */
            UndoChain chain,
            /**
             * The request's model, so a service whose copy of ConnectionRequested was dead-lettered still knows which
             * undo answer the chain waits for from it (nothing it never saw can be left behind by it).
             */
            SecurityModel securityModel) implements ConnectionEvent {

        /** Without a chain: as written before runs were told apart. */
        public CompensationStarted(String eventId, String connectionId, Instant occurredAt, CompensationCause cause,
                StepFailure failure) {
            this(eventId, connectionId, occurredAt, cause, failure, null, null);
        }
    }

    /**
     * L's cluster settings no longer hold the alias (every setting of it nulled in one request); before that, the
     * local roles the saga created were deleted and those it changed restored ({@code roles}; absent when none).
     */
    @PublishedOn(Topics.CONNECT_EVENTS)
    record RemoteRemoved(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String alias,
            @JsonProperty(required = true) boolean removed,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RoleChange> roles,
            @JsonInclude(JsonInclude.Include.NON_NULL) UndoChain chain) implements UndoDone {

        /** Without a chain: as written before runs were told apart. */
        public RemoteRemoved(String eventId, String connectionId, Instant occurredAt, String alias,
                boolean removed, List<RoleChange> roles) {
            this(eventId, connectionId, occurredAt, alias, removed, roles, null);
        }

        /** Removed (or nothing to remove), no roles undone. */
        public RemoteRemoved(String eventId, String connectionId, Instant occurredAt, String alias, boolean removed) {
            this(eventId, connectionId, occurredAt, alias, removed, null);
        }
    }

    @PublishedOn(Topics.CONNECT_EVENTS)
    record RemoteRemovalFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure,
            Certainty certainty,
            @JsonInclude(JsonInclude.Include.NON_NULL) UndoChain chain) implements UndoFailed {

        /** Without a chain: as written before runs were told apart. */
        public RemoteRemovalFailed(String eventId, String connectionId, Instant occurredAt, StepFailure failure,
                Certainty certainty) {
            this(eventId, connectionId, occurredAt, failure, certainty, null);
        }

        /** Nothing could be read after the failure: the leftover is possible. */
        public RemoteRemovalFailed(String eventId, String connectionId, Instant occurredAt, StepFailure failure) {
            this(eventId, connectionId, occurredAt, failure, Certainty.POSSIBLE);
        }
    }

    /**
     * The undo chain did not end within {@code crosslink.saga.undo-deadline} of its start: the links in
     * {@code waitingFor} ({@code remote}, {@code keystore}, {@code key}, {@code trust}) never reported (their service
     * down, its record dead-lettered). Each is a possible leftover and the connection ends FAILED; a late report is
     * only recorded, and {@code DELETE} runs the chain again.
     */
    @PublishedOn(Topics.CONNECT_EVENTS)
    record UndoDeadlinePassed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure,
            Certainty certainty,
            @JsonProperty(required = true) List<String> waitingFor,
            @JsonInclude(JsonInclude.Include.NON_NULL) UndoChain chain) implements UndoFailed {

        /** Without a chain: as written before runs were told apart. */
        public UndoDeadlinePassed(String eventId, String connectionId, Instant occurredAt, StepFailure failure,
                Certainty certainty, List<String> waitingFor) {
            this(eventId, connectionId, occurredAt, failure, certainty, waitingFor, null);
        }
    }

    // --- key-service (key-events) ---

    /** The cross-cluster API key exists on R. Its encoded value travels only sealed for trust-service. */
    @PublishedOn(Topics.KEY_EVENTS)
    record KeyCreated(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String keyId,
            @JsonProperty(required = true) String keyName,
            @JsonProperty(required = true) SealedSecret encodedKey,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) implements Warned {

        public KeyCreated {
            warnings = Warned.normalised(warnings);
        }

        public KeyCreated(String eventId, String connectionId, Instant occurredAt, String keyId, String keyName,
                SealedSecret encodedKey) {
            this(eventId, connectionId, occurredAt, keyId, keyName, encodedKey, null);
        }
    }

    @PublishedOn(Topics.KEY_EVENTS)
    record KeyCreationFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements StepFailed {
    }

    /** The saga's API keys on R are invalidated (every active key named {@code crosslink-<connectionId>}). */
    @PublishedOn(Topics.KEY_EVENTS)
    record KeyInvalidated(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) List<String> keyIds,
            @JsonProperty(required = true) boolean removed,
            @JsonInclude(JsonInclude.Include.NON_NULL) UndoChain chain) implements UndoDone {

        /** Without a chain: as written before runs were told apart. */
        public KeyInvalidated(String eventId, String connectionId, Instant occurredAt, List<String> keyIds,
                boolean removed) {
            this(eventId, connectionId, occurredAt, keyIds, removed, null);
        }
    }

    /** {@code activeKeyIds}: with {@code confirmed}, the active keys named {@code crosslink-<connectionId>} on R. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @PublishedOn(Topics.KEY_EVENTS)
    record KeyInvalidationFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure,
            Certainty certainty,
            List<String> activeKeyIds,
            @JsonInclude(JsonInclude.Include.NON_NULL) UndoChain chain) implements UndoFailed {

        /** Without a chain: as written before runs were told apart. */
        public KeyInvalidationFailed(String eventId, String connectionId, Instant occurredAt,
                StepFailure failure, Certainty certainty, List<String> activeKeyIds) {
            this(eventId, connectionId, occurredAt, failure, certainty, activeKeyIds, null);
        }

        public KeyInvalidationFailed {
            activeKeyIds = activeKeyIds == null ? List.of() : List.copyOf(activeKeyIds);
        }

        /** Nothing could be read after the failure: the leftover is possible. */
        public KeyInvalidationFailed(String eventId, String connectionId, Instant occurredAt, StepFailure failure) {
            this(eventId, connectionId, occurredAt, failure, Certainty.POSSIBLE, List.of());
        }
    }

    // --- trust-service (trust-events) ---

    /** L's keystore holds {@code cluster.remote.<alias>.credentials} and the reload was requested. */
    @PublishedOn(Topics.TRUST_EVENTS)
    record KeystoreUpdated(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String settingName,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) implements Warned {

        public KeystoreUpdated {
            warnings = Warned.normalised(warnings);
        }

        public KeystoreUpdated(String eventId, String connectionId, Instant occurredAt, String settingName) {
            this(eventId, connectionId, occurredAt, settingName, null);
        }
    }

    @PublishedOn(Topics.TRUST_EVENTS)
    record KeystoreUpdateFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements StepFailed {
    }

    /** L's keystore no longer holds {@code cluster.remote.<alias>.credentials}. */
    @PublishedOn(Topics.TRUST_EVENTS)
    record KeystoreEntryRemoved(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String settingName,
            @JsonProperty(required = true) boolean removed,
            @JsonInclude(JsonInclude.Include.NON_NULL) UndoChain chain) implements UndoDone {

        /** Without a chain: as written before runs were told apart. */
        public KeystoreEntryRemoved(String eventId, String connectionId, Instant occurredAt, String settingName,
                boolean removed) {
            this(eventId, connectionId, occurredAt, settingName, removed, null);
        }
    }

    /**
     * The undo of L's keystore entry failed. With strong identity, R's reference to L's signing CA is released first:
     * {@code signingAuthority} set means that release failed, so the CA is left on R (with its own certainty) and the
     * keystore entry was not tried; absent, the CA reference (if any) was released and the keystore entry is what is
     * left ({@code certainty}).
     */
    @PublishedOn(Topics.TRUST_EVENTS)
    record KeystoreEntryRemovalFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure,
            Certainty certainty,
            @JsonInclude(JsonInclude.Include.NON_NULL) UndoChain chain,
            @JsonInclude(JsonInclude.Include.NON_NULL) SigningAuthorityLeft signingAuthority) implements UndoFailed {

        /** Without a signing CA left. */
        public KeystoreEntryRemovalFailed(String eventId, String connectionId, Instant occurredAt,
                StepFailure failure, Certainty certainty, UndoChain chain) {
            this(eventId, connectionId, occurredAt, failure, certainty, chain, null);
        }

        /** Without a chain: as written before runs were told apart. */
        public KeystoreEntryRemovalFailed(String eventId, String connectionId, Instant occurredAt,
                StepFailure failure, Certainty certainty) {
            this(eventId, connectionId, occurredAt, failure, certainty, null, null);
        }

        /** Nothing could be read after the failure: the leftover is possible. */
        public KeystoreEntryRemovalFailed(String eventId, String connectionId, Instant occurredAt,
                StepFailure failure) {
            this(eventId, connectionId, occurredAt, failure, Certainty.POSSIBLE);
        }
    }

    /**
     * Certificate model: both deployments trust each other's certificates ({@code edits}: what was changed on each
     * side, none for a side that already trusted the peer), and neither reports a pending plan any more.
     */
    @PublishedOn(Topics.TRUST_EVENTS)
    record TrustUpdated(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) List<TrustEdit> edits,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) implements Warned {

        public TrustUpdated {
            warnings = Warned.normalised(warnings);
        }

        public TrustUpdated(String eventId, String connectionId, Instant occurredAt, List<TrustEdit> edits) {
            this(eventId, connectionId, occurredAt, edits, null);
        }
    }

    /**
     * The certificate-model step failed for good. {@code edits}: what it changed, or may have changed (recorded before
     * each PUT), in each deployment's trust settings before it failed; the undo removes exactly these.
     */
    @PublishedOn(Topics.TRUST_EVENTS)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record TrustUpdateFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure,
            List<TrustEdit> edits) implements StepFailed {

        public TrustUpdateFailed {
            edits = edits == null ? List.of() : List.copyOf(edits);
        }

        /** Nothing was changed before the failure. */
        public TrustUpdateFailed(String eventId, String connectionId, Instant occurredAt, StepFailure failure) {
            this(eventId, connectionId, occurredAt, failure, List.of());
        }
    }

    /**
     * Certificate model, last undo: what TrustUpdated added is gone from both deployments' trust settings, every
     * other entry untouched ({@code edits}: what was undone; {@code removed=false} when there was nothing).
     */
    @PublishedOn(Topics.TRUST_EVENTS)
    record TrustRemoved(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) List<TrustEdit> edits,
            @JsonProperty(required = true) boolean removed,
            @JsonInclude(JsonInclude.Include.NON_NULL) UndoChain chain) implements UndoDone {

        /** Without a chain: as written before runs were told apart. */
        public TrustRemoved(String eventId, String connectionId, Instant occurredAt, List<TrustEdit> edits,
                boolean removed) {
            this(eventId, connectionId, occurredAt, edits, removed, null);
        }
    }

    @PublishedOn(Topics.TRUST_EVENTS)
    record TrustRemovalFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure,
            Certainty certainty,
            @JsonInclude(JsonInclude.Include.NON_NULL) UndoChain chain) implements UndoFailed {

        /** Without a chain: as written before runs were told apart. */
        public TrustRemovalFailed(String eventId, String connectionId, Instant occurredAt, StepFailure failure,
                Certainty certainty) {
            this(eventId, connectionId, occurredAt, failure, certainty, null);
        }

        /** Nothing could be read after the failure: the leftover is possible. */
        public TrustRemovalFailed(String eventId, String connectionId, Instant occurredAt, StepFailure failure) {
            this(eventId, connectionId, occurredAt, failure, Certainty.POSSIBLE);
        }
    }

    // --- verify-service (verify-events) ---

    /** A search through the remote succeeded inside the granted access. */
    @PublishedOn(Topics.VERIFY_EVENTS)
    record ConnectionVerified(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String probe,
            @JsonProperty(required = true) long probeHits,
            @JsonProperty(required = true) int connectedSockets,
            @JsonProperty(required = true) int attempts,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) implements Warned {

        public ConnectionVerified {
            warnings = Warned.normalised(warnings);
        }

        public ConnectionVerified(String eventId, String connectionId, Instant occurredAt, String probe, long probeHits,
                int connectedSockets, int attempts) {
            this(eventId, connectionId, occurredAt, probe, probeHits, connectedSockets, attempts, null);
        }
    }

    @PublishedOn(Topics.VERIFY_EVENTS)
    record VerificationFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements StepFailed {
    }
}

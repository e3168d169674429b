package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
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

    /** The remote is registered in L's cluster settings, with the credentials from L's keystore. */
    record RemoteConnected(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) String alias,
            @JsonProperty(required = true) String proxyAddress,
            @JsonProperty(required = true) String serverName,
            @JsonProperty(required = true) boolean skipUnavailable) implements ConnectionEvent {
    }

    record RemoteRegistrationFailed(
            @JsonProperty(required = true) String eventId,
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) Instant occurredAt,
            @JsonProperty(required = true) StepFailure failure) implements StepFailed {
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

package io.crosslink.key.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.Access;
import io.crosslink.events.Certainty;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.ConnectionEvent.TrustRemovalFailed;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.Registration;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import io.crosslink.events.TrustRequest;
import io.crosslink.events.UndoChain;
import io.crosslink.runtime.messaging.IncomingEvents;
import io.crosslink.runtime.messaging.Outbox;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Saga events as connect-service and trust-service emit them. */
public final class TestEvents {
    public static final String LOCAL_DEPLOYMENT = "c0ffee00a1b2c3d4e5f60718293a4b5c";

    private TestEvents() {
    }

    public static String newConnectionId() {
        return UUID.randomUUID().toString();
    }

    public static ConnectionRequested requested(String connectionId, String remoteDeploymentId, Access access) {
        return requested(connectionId, remoteDeploymentId, access, SecurityModel.API_KEY);
    }

    public static ConnectionRequested requested(String connectionId, String remoteDeploymentId, Access access,
            SecurityModel model) {
        ConnectionRequest request = new ConnectionRequest("remote-" + connectionId.substring(0, 8), model,
                new DeploymentRef("ece", LOCAL_DEPLOYMENT, null),
                new DeploymentRef("ess", remoteDeploymentId, null), access, true);
        return new ConnectionRequested(Outbox.newEventId(), connectionId, Instant.now(), request,
                new DeploymentInfo("ece", LOCAL_DEPLOYMENT, "main-elasticsearch", "e5f60718293a4b5cc0ffee00a1b2c3d4",
                        "local.ece.local", "8.19.21"),
                new DeploymentInfo("ess", remoteDeploymentId, "main-elasticsearch", "abcdef01234567890b5e55ed12345678",
                        "remote.es.local", "8.19.21"));
    }

    /** A certificate-model request as connect-service announces it: no access, trust and registration set. */
    public static ConnectionRequested certificateRequested(String connectionId, String remoteDeploymentId) {
        ConnectionRequest request = ConnectionRequest.tlsCertificate("remote-" + connectionId.substring(0, 8),
                new DeploymentRef("ece", LOCAL_DEPLOYMENT, null), new DeploymentRef("ess", remoteDeploymentId, null),
                true, new TrustRequest(false), Registration.CLUSTER_SETTINGS);
        return new ConnectionRequested(Outbox.newEventId(), connectionId, Instant.now(), request,
                new DeploymentInfo("ece", LOCAL_DEPLOYMENT, "main-elasticsearch", "e5f60718293a4b5cc0ffee00a1b2c3d4",
                        "local.ece.local", "8.19.21", DeploymentInfo.ECE, "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87", 9300),
                new DeploymentInfo("ess", remoteDeploymentId, "main-elasticsearch", "abcdef01234567890b5e55ed12345678",
                        "remote.es.local", "8.19.21", DeploymentInfo.ESS, "4285051796", 9400));
    }

    /** The same request announced again by connect-service (a new event id). */
    public static ConnectionRequested republished(ConnectionRequested event) {
        return new ConnectionRequested(Outbox.newEventId(), event.connectionId(), Instant.now(), event.request(),
                event.local(), event.remote());
    }

    /** trust-service wrote trust both ways (certificate model). */
    public static TrustUpdated trustUpdated(String connectionId) {
        return new TrustUpdated(Outbox.newEventId(), connectionId, Instant.now(), List.of(trustEdit()));
    }

    /** trust-service undid its trust edits: the certificate model's last undo. */
    public static TrustRemoved trustRemoved(String connectionId) {
        return new TrustRemoved(Outbox.newEventId(), connectionId, Instant.now(), List.of(trustEdit()), true);
    }

    public static TrustRemovalFailed trustRemovalFailed(String connectionId) {
        return new TrustRemovalFailed(Outbox.newEventId(), connectionId, Instant.now(),
                new StepFailure("http_409", "version conflict", 409, true));
    }

    private static TrustEdit trustEdit() {
        return new TrustEdit(LOCAL_DEPLOYMENT, "0b5e55ed12345678abcdef0123456789", TrustEdit.DIRECT, "4285051796",
                true, false, List.of(), List.of());
    }

    /** The same event delivered again (same event id). */
    public static ConnectionRequested again(ConnectionRequested event) {
        return new ConnectionRequested(event.eventId(), event.connectionId(), event.occurredAt(), event.request(),
                event.local(), event.remote());
    }

    /** The tombstone: connect-service starts compensating the connection (as written before runs were carried). */
    public static CompensationStarted compensationStarted(String connectionId) {
        return new CompensationStarted(Outbox.newEventId(), connectionId, Instant.now(), CompensationCause.CANCEL, null);
    }

    /** The tombstone of the run {@code chain}, naming the request's security model (null: not named). */
    public static CompensationStarted compensationStarted(String connectionId, UndoChain chain, SecurityModel model) {
        return new CompensationStarted(chain.id(), connectionId, Instant.now(), CompensationCause.CANCEL, null, chain,
                model);
    }

    /** A run of the undo chain that connect-service ends FAILED at {@code deadline}. */
    public static UndoChain chain(Instant deadline) {
        return new UndoChain(Outbox.newEventId(), deadline);
    }

    /** trust-service removed L's keystore entry: the key undo is next (as written before runs were carried). */
    public static KeystoreEntryRemoved keystoreEntryRemoved(String connectionId) {
        return keystoreEntryRemoved(connectionId, null);
    }

    /** trust-service removed L's keystore entry in the run {@code chain}. */
    public static KeystoreEntryRemoved keystoreEntryRemoved(String connectionId, UndoChain chain) {
        return new KeystoreEntryRemoved(Outbox.newEventId(), connectionId, Instant.now(),
                "cluster.remote.remote-" + connectionId.substring(0, 8) + ".credentials", true, chain);
    }

    /** trust-service could not remove L's keystore entry: the chain goes on with the key undo all the same. */
    public static KeystoreEntryRemovalFailed keystoreEntryRemovalFailed(String connectionId) {
        return keystoreEntryRemovalFailed(connectionId, null);
    }

    public static KeystoreEntryRemovalFailed keystoreEntryRemovalFailed(String connectionId, UndoChain chain) {
        return new KeystoreEntryRemovalFailed(Outbox.newEventId(), connectionId, Instant.now(),
                new StepFailure("http_503", "keystore busy", 503, true), Certainty.POSSIBLE, chain);
    }

    /** Search on logs-* with document and field level security. */
    public static Access searchWithSecurity() {
        return new Access(List.of(new Access.Search(List.of("logs-*", "metrics-*"), json("{\"term\":{\"team\":\"blue\"}}"),
                new Access.FieldSecurity(List.of("*"), List.of("secret")), null)), List.of());
    }

    public static Access searchAndReplication() {
        return new Access(List.of(new Access.Search(List.of("demo-*"), null, null, null)),
                List.of(new Access.Replication(List.of("archive-*"))));
    }

    /** The record a consumer receives for the event (CloudEvents binary mode: the type in {@code ce_type}). */
    public static ConsumerRecord<String, String> record(String topic, ConnectionEvent event) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(topic, 0, 0, event.connectionId(),
                EventCodec.encode(event));
        record.headers().add(IncomingEvents.CE_TYPE, event.cloudEventType().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    public static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.crosslink.key.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.Access;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.messaging.Outbox;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

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

    /** The same event delivered again (same event id). */
    public static ConnectionRequested again(ConnectionRequested event) {
        return new ConnectionRequested(event.eventId(), event.connectionId(), event.occurredAt(), event.request(),
                event.local(), event.remote());
    }

    /** The tombstone: connect-service starts compensating the connection. */
    public static CompensationStarted compensationStarted(String connectionId) {
        return new CompensationStarted(Outbox.newEventId(), connectionId, Instant.now(), CompensationCause.CANCEL, null);
    }

    /** trust-service removed L's keystore entry: the key undo is next. */
    public static KeystoreEntryRemoved keystoreEntryRemoved(String connectionId) {
        return new KeystoreEntryRemoved(Outbox.newEventId(), connectionId, Instant.now(),
                "cluster.remote.remote-" + connectionId.substring(0, 8) + ".credentials", true);
    }

    /** trust-service could not remove L's keystore entry: the chain goes on with the key undo all the same. */
    public static KeystoreEntryRemovalFailed keystoreEntryRemovalFailed(String connectionId) {
        return new KeystoreEntryRemovalFailed(Outbox.newEventId(), connectionId, Instant.now(),
                new StepFailure("http_503", "keystore busy", 503, true));
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

    public static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.crosslink.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRegistrationFailed;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One fully populated sample of every event type, so tests cover each type without listing them by hand. */
final class Samples {
    static final String CONNECTION = "3f0c2a9e-7d1b-4c55-9a43-0e6b1f2d8c71";
    static final Instant AT = Instant.parse("2026-11-28T12:00:00.123Z");
    static final UndoChain CHAIN = new UndoChain("e11", Instant.parse("2026-11-28T12:15:00.123Z"));

    private Samples() {
    }

    static ConnectionRequest request() {
        Access access = new Access(
                List.of(new Access.Search(List.of("demo-*"),
                        JsonNodeFactory.instance.objectNode().set("term",
                                JsonNodeFactory.instance.objectNode().put("tenant", "a")),
                        new Access.FieldSecurity(List.of("*"), List.of("secret")), false)),
                List.of(new Access.Replication(List.of("logs-*"))));
        return new ConnectionRequest("eu-logs", SecurityModel.API_KEY,
                new DeploymentRef("ece", "c0ffee00a1b2c3d4e5f60718293a4b5c", null),
                new DeploymentRef("ess", "0b5e55ed12345678abcdef0123456789", "main-elasticsearch"), access, true,
                List.of(new RoleRequest("eu-logs-reader", List.of(new RoleRequest.Indices(List.of("demo-index"),
                        List.of("read", "view_index_metadata"))))));
    }

    /** A certificate-model request across environments, trusting only the peer's cluster. */
    static ConnectionRequest certificateRequest() {
        return ConnectionRequest.tlsCertificate("eu-logs", new DeploymentRef("ece", "c0ffee00a1b2c3d4e5f60718293a4b5c", null),
                new DeploymentRef("ess", "0b5e55ed12345678abcdef0123456789", null), true, new TrustRequest(false),
                Registration.CLUSTER_SETTINGS);
    }

    static List<TrustEdit> trustEdits() {
        return List.of(
                new TrustEdit("c0ffee00a1b2c3d4e5f60718293a4b5c", "0b5e55ed12345678abcdef0123456789", TrustEdit.DIRECT,
                        "4285051796", true, false, List.of("abcdef01234567890b5e55ed12345678"), null),
                new TrustEdit("0b5e55ed12345678abcdef0123456789", "c0ffee00a1b2c3d4e5f60718293a4b5c", TrustEdit.ACCOUNTS,
                        "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87", false, false, List.of("e5f60718293a4b5cc0ffee00a1b2c3d4"),
                        List.of("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")));
    }

    /** The sample request, asking for strong identity. */
    static ConnectionRequest strongIdentityRequest() {
        ConnectionRequest r = request();
        return new ConnectionRequest(r.alias(), r.securityModel(), r.local(), r.remote(), r.access(),
                r.skipUnavailable(), r.roles(), r.trust(), r.registration(), true);
    }

    static DeploymentInfo deployment(String environment, String id, String endpoint) {
        return new DeploymentInfo(environment, id, "main-elasticsearch", "abcdef01234567890b5e55ed12345678", endpoint,
                "8.19.21");
    }

    static StepFailure failure() {
        return new StepFailure("security_exception", "action [cluster:admin/xpack/security] is unauthorized", 403,
                false);
    }

    /** Every event type, by CloudEvents type. */
    static Map<String, ConnectionEvent> everyEvent() {
        List<ConnectionEvent> events = List.of(
                new ConnectionRequested("e1", CONNECTION, AT, strongIdentityRequest(),
                        deployment("ece", "c0ffee00a1b2c3d4e5f60718293a4b5c", "127.0.10.1"),
                        deployment("ess", "0b5e55ed12345678abcdef0123456789", "127.0.10.2"),
                        new StrongIdentity(StrongIdentity.patternFor("abcdef01234567890b5e55ed12345678"), "node.crt",
                                "node.key", "internal_tls_ca.crt")),
                new ConnectionRejected("e2", CONNECTION, AT,
                        List.of(new Violation("remote.deploymentId", "deployment not found"))),
                new RemoteConnected("e3", CONNECTION, AT, "eu-logs", "127.0.10.2:9443", "127.0.10.2", true,
                        List.of(new RoleChange("eu-logs-reader", RoleChange.CREATED))),
                new RemoteRegistrationFailed("e4", CONNECTION, AT, failure()),
                new KeyCreated("e5", CONNECTION, AT, "VuaCfGcBCdbkQm-e5aOx", "crosslink-" + CONNECTION,
                        new SealedSecret("0123456789abcdef", "bm9uY2U=", "Y2lwaGVydGV4dA==")),
                new KeyCreationFailed("e6", CONNECTION, AT, failure()),
                new KeystoreUpdated("e7", CONNECTION, AT, "cluster.remote.eu-logs.credentials"),
                new KeystoreUpdateFailed("e8", CONNECTION, AT, new StepFailure("timeout", "no answer", null, true)),
                new ConnectionVerified("e9", CONNECTION, AT, "eu-logs:demo-*", 3, 18, 2, List.of("The remote cluster connection to [eu-logs] is using deprecated certificate based security model.")),
                new VerificationFailed("e10", CONNECTION, AT, failure()),
                new ConnectionEvent.CompensationStarted("e11", CONNECTION, AT, CompensationCause.FAILURE, failure(),
                        CHAIN, SecurityModel.API_KEY),
                new ConnectionEvent.RemoteRemoved("e12", CONNECTION, AT, "eu-logs", true,
                        List.of(new RoleChange("eu-logs-reader", RoleChange.DELETED)), CHAIN),
                new ConnectionEvent.RemoteRemovalFailed("e13", CONNECTION, AT, failure(), Certainty.CONFIRMED, CHAIN),
                new ConnectionEvent.UndoDeadlinePassed("e22", CONNECTION, AT, new StepFailure("undo_deadline",
                        "no report within PT15M", null, true), Certainty.POSSIBLE, List.of("keystore", "key"), CHAIN),
                new ConnectionEvent.KeystoreEntryRemoved("e14", CONNECTION, AT, "cluster.remote.eu-logs.credentials",
                        false, CHAIN),
                new ConnectionEvent.KeystoreEntryRemovalFailed("e15", CONNECTION, AT, failure(), Certainty.POSSIBLE,
                        CHAIN, new SigningAuthorityLeft("0b5e55ed12345678abcdef0123456789", "internal_tls_ca.crt",
                                Certainty.CONFIRMED)),
                new ConnectionEvent.KeyInvalidated("e16", CONNECTION, AT, List.of("VuaCfGcBCdbkQm-e5aOx"), true,
                        CHAIN),
                new ConnectionEvent.KeyInvalidationFailed("e17", CONNECTION, AT, failure(), Certainty.CONFIRMED,
                        List.of("VuaCfGcBCdbkQm-e5aOx"), CHAIN),
                new ConnectionEvent.TrustUpdated("e18", CONNECTION, AT, trustEdits()),
                new ConnectionEvent.TrustUpdateFailed("e19", CONNECTION, AT, failure(), trustEdits()),
                new ConnectionEvent.TrustRemoved("e20", CONNECTION, AT, trustEdits(), true, CHAIN),
                new ConnectionEvent.TrustRemovalFailed("e21", CONNECTION, AT, failure(), Certainty.POSSIBLE, CHAIN));
        return events.stream().collect(Collectors.toMap(ConnectionEvent::cloudEventType, Function.identity()));
    }

    static ConnectionDocument document() {
        return new ConnectionDocument(CONNECTION, ConnectionStatus.KEY_CREATED, request(), "req-1",
                List.of(new ConnectionDocument.TimelineEntry("request", "ok", AT, "ConnectionRequested", null, null,
                        null),
                        new ConnectionDocument.TimelineEntry("key", "failed", AT, "KeyCreationFailed",
                                "security_exception", "unauthorized", 403)),
                null, List.of(new ConnectionDocument.Leftover("0b5e55ed12345678abcdef0123456789", "api_key",
                        "VuaCfGcBCdbkQm-e5aOx", "invalidation refused: 403", Certainty.CONFIRMED)), AT, AT,
                "team-a", "alice@example.com");
    }

    /** A Kafka request rejected as far as it was read: no alias, a local deployment without its id. */
    static ConnectionDocument rejectedAsRead() {
        ConnectionRequest partial = new ConnectionRequest(null, SecurityModel.API_KEY,
                new DeploymentRef("ece", null, null), null, null, null);
        return new ConnectionDocument(CONNECTION, ConnectionStatus.REJECTED, partial, "req-2",
                List.of(new ConnectionDocument.TimelineEntry("validate", "failed", AT, "ConnectionRejected", "rejected",
                        "alias: is required", null)),
                List.of(new Violation("alias", "is required")), null, AT, AT);
    }

    static SubmittedRequest submitted() {
        ConnectionRequest r = request();
        return new SubmittedRequest("req-1", r.alias(), r.securityModel(), r.local(), r.remote(), r.access(),
                r.skipUnavailable(), r.roles());
    }
}

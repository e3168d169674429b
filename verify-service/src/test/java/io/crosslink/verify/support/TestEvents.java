package io.crosslink.verify.support;

import io.crosslink.events.Access;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.Registration;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.TrustRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Events as connect-service writes them. */
public final class TestEvents {
    public static final String LOCAL_ID = "c0ffee00a1b2c3d4e5f60718293a4b5c";
    public static final String REMOTE_ID = "0b5e55ed12345678abcdef0123456789";

    private TestEvents() {
    }

    public static Access searchAccess(String... names) {
        return new Access(List.of(new Access.Search(List.of(names), null, null, null)), null);
    }

    public static Access replicationAccess(String... names) {
        return new Access(null, List.of(new Access.Replication(List.of(names))));
    }

    public static ConnectionRequested requested(String connectionId, String alias, Access access) {
        return requested(connectionId, alias, access, LOCAL_ID);
    }

    public static ConnectionRequested requested(String connectionId, String alias, Access access, String localId) {
        ConnectionRequest request = new ConnectionRequest(alias, SecurityModel.API_KEY,
                new DeploymentRef("ece", localId, null), new DeploymentRef("ess", REMOTE_ID, null), access, true);
        return new ConnectionRequested(UUID.randomUUID().toString(), connectionId, Instant.now(), request,
                new DeploymentInfo("ece", localId, "main-elasticsearch", "local-cluster", "127.0.24.1", "8.19.21"),
                new DeploymentInfo("ess", REMOTE_ID, "main-elasticsearch", "remote-cluster", "127.0.24.1", "8.19.21"));
    }

    /** A certificate-model request as connect-service announces it: no access, trust and registration set. */
    public static ConnectionRequested certificateRequested(String connectionId, String alias, String localId) {
        ConnectionRequest request = ConnectionRequest.tlsCertificate(alias, new DeploymentRef("ece", localId, null),
                new DeploymentRef("ess", REMOTE_ID, null), true, new TrustRequest(false), Registration.CLUSTER_SETTINGS);
        return new ConnectionRequested(UUID.randomUUID().toString(), connectionId, Instant.now(), request,
                new DeploymentInfo("ece", localId, "main-elasticsearch", "local-cluster", "127.0.24.1", "8.19.21",
                        DeploymentInfo.ECE, "b7c2e0f4a9d14e6c8f3a5d2e1c0b9a87", 9300),
                new DeploymentInfo("ess", REMOTE_ID, "main-elasticsearch", "remote-cluster", "127.0.24.1", "8.19.21",
                        DeploymentInfo.ESS, "4285051796", 9400));
    }

    public static CompensationStarted compensationStarted(String connectionId) {
        return new CompensationStarted(UUID.randomUUID().toString(), connectionId, Instant.now(),
                CompensationCause.DEADLINE, null);
    }

    /** Registered in the certificate model: proxy mode to L's transport port. */
    public static RemoteConnected remoteConnectedOverTransport(String connectionId, String alias) {
        return new RemoteConnected(UUID.randomUUID().toString(), connectionId, Instant.now(), alias, "127.0.24.1:9300",
                "127.0.24.1", true);
    }

    public static RemoteConnected remoteConnected(String connectionId, String alias) {
        return new RemoteConnected(UUID.randomUUID().toString(), connectionId, Instant.now(), alias, "127.0.24.1:9443",
                "127.0.24.1", true);
    }
}

package io.crosslink.connect.domain;

import static io.crosslink.events.ConnectionStatus.COMPENSATED;
import static io.crosslink.events.ConnectionStatus.COMPENSATING;
import static io.crosslink.events.ConnectionStatus.DISCONNECTED;
import static io.crosslink.events.ConnectionStatus.DISCONNECTING;
import static io.crosslink.events.ConnectionStatus.FAILED;
import static io.crosslink.events.ConnectionStatus.KEYSTORE_UPDATED;
import static io.crosslink.events.ConnectionStatus.REMOTE_CONNECTED;
import static io.crosslink.events.ConnectionStatus.REQUESTED;
import static io.crosslink.events.ConnectionStatus.TRUST_UPDATED;
import static io.crosslink.events.ConnectionStatus.VERIFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.connect.domain.StatusFolding.Folded;
import io.crosslink.connect.domain.StatusFolding.State;
import io.crosslink.connect.service.RequestValidator;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.events.Certainty;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionDocument.Leftover;
import io.crosslink.events.ConnectionDocument.TimelineEntry;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRegistrationFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.TrustRemovalFailed;
import io.crosslink.events.ConnectionEvent.TrustRemoved;
import io.crosslink.events.ConnectionEvent.TrustUpdateFailed;
import io.crosslink.events.ConnectionEvent.TrustUpdated;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.TrustEdit;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The certificate model's status and undo chain (CompensationStarted → RemoteRemoved → TrustRemoved, no keystore, no
 * key), one path per test, on a connection without a database: its chain is stored as JSON between events, as in
 * the database, so the model must survive that.
 */
class CertificateChainTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final DeploymentInfo LOCAL = new DeploymentInfo("ece", "local-1", "main-elasticsearch", "cl",
            "127.0.20.1", "8.19.21", "ECE", "ece-account", 9300);
    private static final DeploymentInfo REMOTE = new DeploymentInfo("ess", "remote-1", "main-elasticsearch", "cr",
            "r.example", "8.19.21", "ESS", "4285051796", 9400);
    private static final StepFailure REFUSED = new StepFailure("deployments.cluster_request_failed", "refused", 400, false);
    private static final List<TrustEdit> EDITS = List.of(
            new TrustEdit("local-1", "remote-1", TrustEdit.DIRECT, "4285051796", true, false, null, null),
            new TrustEdit("remote-1", "local-1", TrustEdit.DIRECT, "ece-account", false, false, List.of("cl"), null),
            new TrustEdit("remote-1", "local-1", TrustEdit.ACCOUNTS, "4285051796", false, false, null, null));

    private int second;

    @Test
    void trustUpdatedReachesTrustUpdatedAtTheRankOfKeystoreUpdated() {
        Connection connection = started("rank");
        Folded folded = connection.apply(trustUpdated());

        assertTrue(folded.advanced());
        assertEquals(TRUST_UPDATED, connection.status);
        assertEquals(StatusFolding.rank(KEYSTORE_UPDATED), StatusFolding.rank(TRUST_UPDATED));
        assertEquals(List.of("validate", "update_trust"), steps(connection));
        assertEquals(KEYSTORE_UPDATED, StatusFolding.fold(new State(KEYSTORE_UPDATED, List.of(), null, true),
                trustUpdated()).status(), "equal rank: no move either way");
        connection.apply(remoteConnected());
        connection.apply(trustUpdated());
        assertEquals(REMOTE_CONNECTED, connection.status, "a late TrustUpdated does not move the status back");
        assertEquals(2, connection.trustEdits().size(), "changes only, once each: " + connection.trustEdits());
    }

    @Test
    void aTrustFailureIsCompensatedByTheRemoteAndTrustLinksOnly() {
        Connection connection = started("trustfail");
        Folded failed = connection.apply(new TrustUpdateFailed(id(), connection.id, next(), REFUSED));
        assertTrue(failed.startsCompensation(), "CompensationStarted(failure) must follow");

        compensate(connection, CompensationCause.FAILURE);
        assertEquals(COMPENSATING, connection.status);
        assertEquals(SecurityModel.TLS_CERTIFICATE, connection.compensation().orElseThrow().model());
        connection.apply(new RemoteRemoved(id(), connection.id, next(), "trustfail", false));
        assertEquals(COMPENSATING, connection.status, "the trust undo has not reported");
        connection.apply(new TrustRemoved(id(), connection.id, next(), List.of(), false));

        assertEquals(COMPENSATED, connection.status);
        assertEquals(List.of("validate", "update_trust", "compensate", "remove_remote", "remove_trust"), steps(connection));
        assertEquals("failed", connection.timeline().get(1).outcome());
        assertNull(connection.document().leftovers());
        assertNull(connection.liveAlias, "COMPENSATED frees the alias");
    }

    @Test
    void aRegistrationFailureIsCompensated() {
        Connection connection = started("regfail");
        connection.apply(trustUpdated());
        assertTrue(connection.apply(new RemoteRegistrationFailed(id(), connection.id, next(), REFUSED))
                .startsCompensation());

        compensate(connection, CompensationCause.FAILURE);
        connection.apply(new RemoteRemoved(id(), connection.id, next(), "regfail", true));
        connection.apply(new TrustRemoved(id(), connection.id, next(), EDITS, true));

        assertEquals(COMPENSATED, connection.status);
        assertEquals(List.of("validate", "update_trust", "register_remote", "compensate", "remove_remote",
                "remove_trust"), steps(connection));
    }

    @Test
    void aVerificationFailureIsCompensatedEvenWhenTheTrustUndoOvertakesTheRemoteRemoval() {
        Connection connection = started("verifyfail");
        connection.apply(trustUpdated());
        connection.apply(remoteConnected());
        assertTrue(connection.apply(new VerificationFailed(id(), connection.id, next(),
                new StepFailure("connect_transport_exception", "handshake failed: certificate_unknown", null, true)))
                .startsCompensation());

        compensate(connection, CompensationCause.FAILURE);
        connection.apply(new TrustRemoved(id(), connection.id, next(), EDITS, true));
        assertEquals(COMPENSATING, connection.status, "the remote link has not reported");
        connection.apply(new RemoteRemoved(id(), connection.id, next(), "verifyfail", true));

        assertEquals(COMPENSATED, connection.status);
    }

    @Test
    void aDisconnectEndsDisconnectedWithoutAnyKeyLink() {
        Connection connection = verified("bye");

        compensate(connection, CompensationCause.DISCONNECT);
        assertEquals(DISCONNECTING, connection.status);
        connection.apply(new RemoteRemoved(id(), connection.id, next(), "bye", true));
        connection.apply(new TrustRemoved(id(), connection.id, next(), EDITS, true));

        assertEquals(DISCONNECTED, connection.status);
        assertNull(connection.document().leftovers());
    }

    @Test
    void keyAndKeystoreEventsNeitherCompleteNorBlockACertificateChain() {
        Connection connection = verified("stray");
        compensate(connection, CompensationCause.DISCONNECT);
        connection.apply(new RemoteRemoved(id(), connection.id, next(), "stray", true));
        connection.apply(new KeystoreEntryRemoved(id(), connection.id, next(), "cluster.remote.stray.credentials", false));
        connection.apply(new KeyInvalidated(id(), connection.id, next(), List.of(), false));
        assertEquals(DISCONNECTING, connection.status, "only the trust link completes a certificate chain");

        connection.apply(new TrustRemoved(id(), connection.id, next(), EDITS, true));
        assertEquals(DISCONNECTED, connection.status);
    }

    @Test
    void aTrustRemovalFailureEndsFailedNamingEachTrustEntryTrustUpdatedReported() {
        Connection connection = verified("stuck");
        compensate(connection, CompensationCause.DISCONNECT);
        connection.apply(new RemoteRemoved(id(), connection.id, next(), "stuck", true));
        connection.apply(new TrustRemovalFailed(id(), connection.id, next(),
                new StepFailure("deployments.deployment_version_conflict", "changed meanwhile", 409, true)));

        assertEquals(FAILED, connection.status);
        String reason = "deployments.deployment_version_conflict: changed meanwhile";
        assertEquals(List.of(new Leftover("local-1", "trust_entry", "direct:4285051796", reason, Certainty.POSSIBLE),
                new Leftover("remote-1", "trust_entry", "direct:ece-account", reason, Certainty.POSSIBLE)),
                connection.document().leftovers(), "the no-op edit left nothing");
        assertEquals("remove_trust", connection.timeline().get(connection.timeline().size() - 1).step());
        assertEquals(Connection.liveAliasKey(connection.localDeploymentId, "stuck"), connection.liveAlias,
                "FAILED keeps the alias");
    }

    @Test
    void aTrustRemovalFailureAfterAFailedStepNamesTheEntriesTheStepReportedChanging() {
        Connection connection = started("partly");
        // L's trust was changed, then R refused: TrustUpdateFailed says exactly what was changed.
        connection.apply(new TrustUpdateFailed(id(), connection.id, next(), REFUSED, List.of(EDITS.get(0))));
        compensate(connection, CompensationCause.FAILURE);
        connection.apply(new RemoteRemoved(id(), connection.id, next(), "partly", false));
        connection.apply(new TrustRemovalFailed(id(), connection.id, next(), new StepFailure("timeout", "t", null, true),
                Certainty.CONFIRMED));

        assertEquals(FAILED, connection.status);
        assertEquals(List.of(new Leftover("local-1", "trust_entry", "direct:4285051796", "timeout: t",
                Certainty.CONFIRMED)), connection.document().leftovers());
    }

    @Test
    void aTrustRemovalFailureWithoutTrustUpdatedNamesTheEntriesTrustServiceWouldWrite() {
        Connection connection = started("half");
        connection.apply(new TrustUpdateFailed(id(), connection.id, next(), REFUSED));
        compensate(connection, CompensationCause.FAILURE);
        connection.apply(new RemoteRemoved(id(), connection.id, next(), "half", false));
        connection.apply(new TrustRemovalFailed(id(), connection.id, next(), new StepFailure("timeout", "t", null, true)));

        assertEquals(FAILED, connection.status);
        List<Leftover> leftovers = connection.document().leftovers();
        assertEquals(List.of("local-1/direct:4285051796", "remote-1/direct:ece-account"),
                leftovers.stream().map(l -> l.deploymentId() + "/" + l.name()).toList());
        assertTrue(leftovers.get(0).reason().startsWith("possibly"), leftovers.get(0).reason());
    }

    @Test
    void anApiKeyChainStillNeedsItsKeystoreAndKeyLinks() {
        Compensation chain = Compensation.begin(CompensationCause.FAILURE)
                .record(new RemoteRemoved(id(), "c", next(), "a", true))
                .record(new TrustRemoved(id(), "c", next(), List.of(), false));

        assertFalse(chain.complete());
        assertEquals(SecurityModel.API_KEY, chain.model());
    }

    @Test
    void aChainStoredBeforeTheCertificateModelReadsAsAnApiKeyChain() {
        Compensation stored = EventCodec.read("{\"cause\":\"failure\",\"remote\":{\"removed\":true,\"failure\":null},"
                + "\"keystore\":null,\"key\":null}", Compensation.class);

        assertFalse(stored.certificateModel());
        assertFalse(stored.complete());
    }

    // ------------------------------------------------------------------ helpers

    private Connection started(String alias) {
        Connection connection = Connection.requested(
                RequestValidator.validate(TestRequests.certificate(alias)).request(), "f", null, null);
        connection.deployments(LOCAL, REMOTE);
        connection.apply(new ConnectionRequested(id(), connection.id, next(), connection.request(), LOCAL, REMOTE));
        assertEquals(REQUESTED, connection.status);
        return connection;
    }

    private Connection verified(String alias) {
        Connection connection = started(alias);
        connection.apply(trustUpdated(connection.id));
        connection.apply(remoteConnected(connection.id));
        connection.apply(new ConnectionVerified(id(), connection.id, next(), alias + ":*", 1, 18, 1));
        assertEquals(VERIFIED, connection.status);
        return connection;
    }

    private void compensate(Connection connection, CompensationCause cause) {
        connection.apply(new CompensationStarted(id(), connection.id, next(), cause,
                cause == CompensationCause.FAILURE ? REFUSED : null));
    }

    private TrustUpdated trustUpdated() {
        return trustUpdated("c");
    }

    private TrustUpdated trustUpdated(String connectionId) {
        return new TrustUpdated(id(), connectionId, next(), EDITS);
    }

    private RemoteConnected remoteConnected() {
        return remoteConnected("c");
    }

    private RemoteConnected remoteConnected(String connectionId) {
        return new RemoteConnected(id(), connectionId, next(), "a", "r.example:9400", "r.example", true);
    }

    private Instant next() {
        return T0.plusSeconds(++second);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static List<String> steps(Connection connection) {
        return connection.timeline().stream().map(TimelineEntry::step).toList();
    }
}

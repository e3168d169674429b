package io.crosslink.connect.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.crosslink.connect.service.RequestValidator;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.events.Certainty;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionDocument.Leftover;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.UndoDeadlinePassed;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
import io.crosslink.events.RoleChange;
import io.crosslink.events.SealedSecret;
import io.crosslink.events.SigningAuthorityLeft;
import io.crosslink.events.StepFailure;
import io.crosslink.events.StrongIdentity;
import io.crosslink.events.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Building the public document of a connection, without a database. */
class ConnectionDocumentsTest {
    private static final DeploymentInfo LOCAL = new DeploymentInfo("ece", "local-1", "main-elasticsearch", "c1",
            "l.example", "8.19.21");
    private static final DeploymentInfo REMOTE = new DeploymentInfo("ess", "remote-1", "main-elasticsearch", "c2",
            "r.example", "8.19.21");
    private static final StepFailure FAILURE = new StepFailure("illegal_argument_exception", "refused", 400, false);

    private static ConnectionRequest request(String alias) {
        return RequestValidator.validate(TestRequests.valid(alias)).request();
    }

    @Test
    void aNewConnectionIsRequestedWithItsRequestAndAnEmptyTimeline() {
        Connection connection = Connection.requested(request("docs"), "f", "rest:k", null);

        ConnectionDocument document = connection.document();

        assertNotNull(document.id());
        assertEquals(ConnectionStatus.REQUESTED, document.status());
        assertEquals(request("docs"), document.request());
        assertEquals(List.of(), document.timeline());
        assertNull(document.reasons());
        assertNull(document.requestId());
        assertEquals(document.createdAt(), document.updatedAt());
        assertEquals(Connection.liveAliasKey(document.request().local().deploymentId(), "docs"), connection.liveAlias);
    }

    @Test
    void aRejectedConnectionCarriesItsReasonsAndFreesTheAlias() {
        Connection connection = Connection.requested(request("docs"), "f", "kafka:r-1", "r-1");
        List<Violation> reasons = List.of(new Violation("remote.deploymentId", "deployment not found"));

        connection.apply(new ConnectionRejected("e-1", connection.id, Connection.now(), reasons));
        ConnectionDocument document = connection.document();

        assertEquals(ConnectionStatus.REJECTED, document.status());
        assertEquals(reasons, document.reasons());
        assertEquals("r-1", document.requestId());
        assertEquals("ConnectionRejected", document.timeline().get(0).event());
        assertNull(connection.liveAlias);
    }

    @Test
    void theDocumentSurvivesTheWireUnchanged() {
        Connection connection = Connection.requested(request("wire"), "f", null, null);
        DeploymentInfo local = new DeploymentInfo("ece", "l", "main-elasticsearch", "c1", "l.example", "8.19.21");
        DeploymentInfo remote = new DeploymentInfo("ess", "r", "main-elasticsearch", "c2", "r.example", "8.19.21");
        connection.deployments(local, remote);
        connection.apply(new ConnectionRequested("e-1", connection.id, Connection.now(), connection.request(), local, remote));

        ConnectionDocument document = connection.document();
        String json = EventCodec.encode(document);

        assertEquals(document, EventCodec.read(json, ConnectionDocument.class));
        assertEquals(remote, connection.remoteInfo().orElseThrow());
    }

    @Test
    void aFailedKeyInvalidationLeavesTheKeysOnTheRemoteNamedById() {
        Connection connection = started("left");
        connection.apply(new KeyCreated("e-2", connection.id, Connection.now(), "key-1", "crosslink-" + connection.id,
                new SealedSecret("k", "n", "c")));
        connection.apply(new KeystoreUpdateFailed("e-3", connection.id, Connection.now(), FAILURE));
        connection.apply(new CompensationStarted("e-4", connection.id, Connection.now(), CompensationCause.FAILURE, FAILURE));
        connection.apply(new RemoteRemoved("e-5", connection.id, Connection.now(), "left", false));
        connection.apply(new KeystoreEntryRemoved("e-6", connection.id, Connection.now(), "cluster.remote.left.credentials", false));
        assertNull(connection.document().leftovers(), "nothing is left while compensating");

        connection.apply(new KeyInvalidationFailed("e-7", connection.id, Connection.now(),
                new StepFailure("security_exception", "unable to authenticate user [crosslink]", 401, false)));
        ConnectionDocument document = connection.document();

        assertEquals(ConnectionStatus.FAILED, document.status());
        assertEquals(List.of(new Leftover(REMOTE.deploymentId(), "api_key", "key-1", "key crosslink-" + connection.id
                + ": security_exception: unable to authenticate user [crosslink]", Certainty.POSSIBLE)),
                document.leftovers(), "nothing read after the failure: possible");
        assertEquals(Connection.liveAliasKey(connection.localDeploymentId, "left"), connection.liveAlias,
                "a FAILED connection keeps its alias: something may be left under it");
        assertEquals(document, EventCodec.read(EventCodec.encode(document), ConnectionDocument.class));
    }

    @Test
    void rolesAreShownWithTheirStepsAndThoseNotUndoneAreLeftovers() {
        Connection connection = started("roles");
        connection.saveRole(new SavedRole("reader", null, false));
        connection.saveRole(new SavedRole("shared", TestRequests.json("{\"cluster\":[\"monitor\"]}"), false));
        connection.saveRole(new SavedRole("reader", TestRequests.json("{}"), false));
        assertEquals(2, connection.savedRoles().size(), "the first saved definition of a role stays");
        assertNull(connection.savedRole("reader").orElseThrow().previous(), "reader did not exist before");
        connection.apply(new io.crosslink.events.ConnectionEvent.RemoteConnected("e-2", connection.id, Connection.now(),
                "roles", "r.example:9443", "r.example", true, List.of(new RoleChange("reader", RoleChange.CREATED),
                        new RoleChange("shared", RoleChange.UPDATED))));
        assertEquals(List.of(new RoleChange("reader", RoleChange.CREATED), new RoleChange("shared", RoleChange.UPDATED)),
                connection.document().timeline().get(1).roles());
        connection.savedRoles(connection.savedRoles().stream()
                .map(role -> role.name().equals("shared") ? role.markUndone() : role).toList());
        connection.apply(new CompensationStarted("e-3", connection.id, Connection.now(), CompensationCause.DISCONNECT, null));
        connection.apply(new RemoteRemovalFailed("e-4", connection.id, Connection.now(),
                new StepFailure("security_exception", "deleting role [reader]: denied", 403, false)));
        connection.apply(new KeystoreEntryRemoved("e-5", connection.id, Connection.now(), "cluster.remote.roles.credentials", true));
        connection.apply(new KeyInvalidated("e-6", connection.id, Connection.now(), List.of(), false));

        String reason = "security_exception: deleting role [reader]: denied";
        assertEquals(List.of(new Leftover(LOCAL.deploymentId(), "role", "reader", reason, Certainty.POSSIBLE),
                new Leftover(LOCAL.deploymentId(), "remote_cluster", "roles", reason, Certainty.POSSIBLE)),
                connection.document().leftovers());
        assertNull(connection.document().timeline().get(0).roles(), "steps without roles show none");
        assertEquals(connection.document(), EventCodec.read(EventCodec.encode(connection.document()), ConnectionDocument.class));
    }

    @Test
    void everyFailedUndoNamesWhatIsLeftOnWhichDeployment() {
        Connection connection = started("all");
        connection.apply(new VerificationFailed("e-2", connection.id, Connection.now(), FAILURE));
        connection.apply(new CompensationStarted("e-3", connection.id, Connection.now(), CompensationCause.FAILURE, FAILURE));
        connection.apply(new RemoteRemovalFailed("e-4", connection.id, Connection.now(), new StepFailure("http_503", "busy", 503, true)));
        connection.apply(new KeystoreEntryRemovalFailed("e-5", connection.id, Connection.now(),
                new StepFailure("deployments.metadata_internal_error", "oops", 500, true)));
        connection.apply(new KeyInvalidationFailed("e-6", connection.id, Connection.now(), new StepFailure("timeout", "t", null, true)));

        assertEquals(List.of(
                new Leftover(LOCAL.deploymentId(), "remote_cluster", "all", "http_503: busy", Certainty.POSSIBLE),
                new Leftover(LOCAL.deploymentId(), "keystore_entry", "cluster.remote.all.credentials",
                        "deployments.metadata_internal_error: oops", Certainty.POSSIBLE),
                new Leftover(REMOTE.deploymentId(), "api_key", "crosslink-" + connection.id, "timeout: t",
                        Certainty.POSSIBLE)),
                connection.document().leftovers(), "no KeyCreated seen: the key is named by its name");
    }

    @Test
    void anUndoChainPastItsDeadlineFailsWithTheSilentLinksAsPossibleLeftovers() {
        Connection connection = started("silent");
        connection.apply(new VerificationFailed("e-2", connection.id, Connection.now(), FAILURE));
        connection.apply(new CompensationStarted("e-3", connection.id, Connection.now(), CompensationCause.FAILURE, FAILURE));
        connection.apply(new RemoteRemoved("e-4", connection.id, Connection.now(), "silent", true));
        assertEquals(List.of("keystore", "key"), connection.compensation().orElseThrow().waitingFor());

        StepFailure silence = new StepFailure("undo_deadline", "no report from keystore, key within PT15M", null, true);
        connection.apply(new UndoDeadlinePassed("e-5", connection.id, Connection.now(), silence, Certainty.POSSIBLE,
                List.of("keystore", "key")));

        ConnectionDocument document = connection.document();
        assertEquals(ConnectionStatus.FAILED, document.status());
        String reason = "undo_deadline: no report from keystore, key within PT15M";
        assertEquals(List.of(
                new Leftover(LOCAL.deploymentId(), "keystore_entry", "cluster.remote.silent.credentials", reason,
                        Certainty.POSSIBLE),
                new Leftover(REMOTE.deploymentId(), "api_key", "crosslink-" + connection.id, reason, Certainty.POSSIBLE)),
                document.leftovers());
        assertEquals("undo_deadline", document.timeline().get(document.timeline().size() - 1).step());

        connection.apply(new KeystoreEntryRemoved("e-6", connection.id, Connection.now(),
                "cluster.remote.silent.credentials", true));
        assertEquals(ConnectionStatus.FAILED, connection.status, "a late report is only recorded");
    }

    @Test
    void aLeftoverIsConfirmedOnlyWhenTheUndoingServiceReadItAfterTheFailure() {
        Connection connection = started("read");
        connection.apply(new VerificationFailed("e-2", connection.id, Connection.now(), FAILURE));
        connection.apply(new CompensationStarted("e-3", connection.id, Connection.now(), CompensationCause.FAILURE, FAILURE));
        connection.apply(new RemoteRemovalFailed("e-4", connection.id, Connection.now(),
                new StepFailure("http_503", "busy", 503, true), Certainty.CONFIRMED));
        connection.apply(new KeystoreEntryRemovalFailed("e-5", connection.id, Connection.now(),
                new StepFailure("timeout", "no answer", null, true), Certainty.POSSIBLE));
        connection.apply(new KeyInvalidationFailed("e-6", connection.id, Connection.now(),
                new StepFailure("security_exception", "denied", 403, false), Certainty.CONFIRMED, List.of("k-7")));

        ConnectionDocument document = connection.document();
        assertEquals(List.of(
                new Leftover(LOCAL.deploymentId(), "remote_cluster", "read", "http_503: busy", Certainty.CONFIRMED),
                new Leftover(LOCAL.deploymentId(), "keystore_entry", "cluster.remote.read.credentials",
                        "timeout: no answer", Certainty.POSSIBLE),
                new Leftover(REMOTE.deploymentId(), "api_key", "k-7", "key crosslink-" + connection.id
                        + ": security_exception: denied", Certainty.CONFIRMED)),
                document.leftovers(), "the keys read active are named, not the ones KeyCreated reported");
        assertEquals(document, EventCodec.read(EventCodec.encode(document), ConnectionDocument.class));
        assertTrue(EventCodec.encode(document).contains("\"certainty\":\"confirmed\""));
    }

    @Test
    void strongIdentitysCaOnTheRemoteIsALeftoverWhenItsReleaseFailedOrNobodyReported() {
        StrongIdentity identity = new StrongIdentity(StrongIdentity.patternFor("c1"), "node.crt", "node.key",
                "internal_tls_ca.crt");
        Connection released = signed("released", identity);
        released.apply(new KeystoreEntryRemovalFailed("e-5", released.id, Connection.now(),
                new StepFailure("timeout", "no answer", null, true), Certainty.POSSIBLE, null,
                new SigningAuthorityLeft(REMOTE.deploymentId(), "internal_tls_ca.crt", Certainty.CONFIRMED)));
        assertEquals(List.of(
                new Leftover(REMOTE.deploymentId(), "signing_authority", "internal_tls_ca.crt", "timeout: no answer",
                        Certainty.CONFIRMED),
                new Leftover(LOCAL.deploymentId(), "keystore_entry", "cluster.remote.released.credentials",
                        "timeout: no answer", Certainty.POSSIBLE)),
                released.document().leftovers());

        Connection silent = signed("silent", identity);
        StepFailure silence = new StepFailure("undo_deadline", "no report from keystore within PT15M", null, true);
        silent.apply(new UndoDeadlinePassed("e-5", silent.id, Connection.now(), silence, Certainty.POSSIBLE,
                List.of("keystore")));
        assertEquals(new Leftover(REMOTE.deploymentId(), "signing_authority", "internal_tls_ca.crt",
                "undo_deadline: no report from keystore within PT15M", Certainty.POSSIBLE),
                silent.document().leftovers().get(0), "trust-service never said it released the CA");

        Connection keystoreOnly = signed("keystore", identity);
        keystoreOnly.apply(new KeystoreEntryRemovalFailed("e-5", keystoreOnly.id, Connection.now(),
                new StepFailure("timeout", "no answer", null, true), Certainty.POSSIBLE));
        assertEquals(List.of("keystore_entry"), keystoreOnly.document().leftovers().stream().map(Leftover::resource)
                .toList(), "without signingAuthority the CA was released before the keystore entry failed");
    }

    /** A strong-identity connection whose undo runs: the remote is removed and the key invalidated. */
    private static Connection signed(String alias, StrongIdentity identity) {
        Connection connection = Connection.requested(request(alias), "f", null, null);
        connection.deployments(LOCAL, REMOTE);
        connection.strongIdentity(identity);
        connection.apply(new ConnectionRequested("e-1", connection.id, Connection.now(), connection.request(), LOCAL,
                REMOTE, identity));
        connection.apply(new VerificationFailed("e-2", connection.id, Connection.now(), FAILURE));
        connection.apply(new CompensationStarted("e-3", connection.id, Connection.now(), CompensationCause.FAILURE,
                FAILURE));
        connection.apply(new RemoteRemoved("e-4", connection.id, Connection.now(), alias, true));
        connection.apply(new KeyInvalidated("e-6", connection.id, Connection.now(), List.of(), false));
        return connection;
    }

    @Test
    void compensatedAndDisconnectedConnectionsFreeTheAliasAndLeaveNothing() {
        for (CompensationCause cause : CompensationCause.values()) {
            Connection connection = started("free");
            connection.apply(new CompensationStarted("e-2", connection.id, Connection.now(), cause, null));
            assertEquals(Connection.liveAliasKey(connection.localDeploymentId, "free"), connection.liveAlias, "still undoing");
            connection.apply(new RemoteRemoved("e-3", connection.id, Connection.now(), "free", true));
            connection.apply(new KeystoreEntryRemoved("e-4", connection.id, Connection.now(), "s", true));
            connection.apply(new KeyInvalidated("e-5", connection.id, Connection.now(), List.of("k"), true));

            assertEquals(cause == CompensationCause.DISCONNECT ? ConnectionStatus.DISCONNECTED : ConnectionStatus.COMPENSATED,
                    connection.status, cause.name());
            assertNull(connection.liveAlias);
            assertNull(connection.document().leftovers());
        }
    }

    /** A connection whose ConnectionRequested was emitted. */
    private static Connection started(String alias) {
        Connection connection = Connection.requested(request(alias), "f", null, null);
        connection.deployments(LOCAL, REMOTE);
        connection.apply(new ConnectionRequested("e-1", connection.id, Connection.now(), connection.request(), LOCAL, REMOTE));
        return connection;
    }

    @Test
    void fingerprintIgnoresKeyOrderButNotContent() {
        String a = Fingerprint.of(TestRequests.json("{\"alias\":\"x\",\"access\":{\"search\":[{\"names\":[\"a\"]}]}}"));
        String sameReordered = Fingerprint.of(TestRequests.json("{\"access\":{\"search\":[{\"names\":[\"a\"]}]}, \"alias\":\"x\"}"));
        String other = Fingerprint.of(TestRequests.json("{\"alias\":\"x\",\"access\":{\"search\":[{\"names\":[\"b\"]}]}}"));

        assertEquals(a, sameReordered);
        assertNotEquals(a, other);
    }

    @Test
    void anExplicitDefaultIsTheSameRequest() {
        var withDefault = TestRequests.valid("same");
        withDefault.put("skipUnavailable", true);

        assertEquals(Fingerprint.of(request("same")),
                Fingerprint.of(RequestValidator.validate(withDefault).request()));
    }
}

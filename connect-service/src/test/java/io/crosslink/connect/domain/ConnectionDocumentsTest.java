package io.crosslink.connect.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.crosslink.connect.service.RequestValidator;
import io.crosslink.connect.support.TestRequests;
import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.EventCodec;
import io.crosslink.events.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Building the public document of a connection, without a database. */
class ConnectionDocumentsTest {

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

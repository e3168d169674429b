package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.e2e.support.ConnectService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.ElasticState;
import io.crosslink.e2e.support.Http;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionStatus;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code DELETE /api/v1/connections/{id}} of a VERIFIED connection runs the undo steps and ends DISCONNECTED with
 * nothing left on either deployment; the alias is free again, and a new connection under it works (the remote is
 * registered anew and picks up the new key).
 */
@Order(11)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DisconnectTest extends ReliabilityScenario {
    private static final String ALIAS = "e2e-disconnect";
    private boolean disconnected;

    @Test
    @Order(1)
    void aVerifiedConnectionIsDisconnectedWithNothingLeftOnEitherSide() {
        ElasticState before = ElasticState.capture(elastic);
        String id = connect.submit(Requests.demo(ALIAS).toString());
        connect.awaitStatus(id, ConnectionStatus.VERIFIED);

        long begin = System.nanoTime();
        Http.Response deleted = connect.delete(id);
        assertEquals(202, deleted.status(), deleted.toString());
        assertTrue(deleted.header("Location").orElse("").endsWith(ConnectService.CONNECTIONS + "/" + id),
                "Location: " + deleted.header("Location"));
        JsonNode document = connect.awaitStatus(id, ConnectionStatus.DISCONNECTED);
        SagaChecks.printTimings("DELETE of connection " + id, document, since(begin));

        List<ConnectionEvent> events = this.events.of(id);
        SagaChecks.undoRanInReverseOrder(document, "disconnect", events);
        assertTrue(SagaChecks.undoEvent(events, RemoteRemoved.class).removed(), "the remote was registered");
        assertTrue(SagaChecks.undoEvent(events, KeystoreEntryRemoved.class).removed(), "the keystore entry was written");
        KeyCreated created = events.stream().filter(KeyCreated.class::isInstance).map(KeyCreated.class::cast)
                .findFirst().orElseThrow();
        KeyInvalidated invalidated = SagaChecks.undoEvent(events, KeyInvalidated.class);
        assertTrue(invalidated.removed(), invalidated.toString());
        assertEquals(List.of(created.keyId()), invalidated.keyIds(), "the invalidated keys");

        SagaChecks.nothingLeftOnEitherSide(elastic, id, ALIAS);
        assertEquals(before, ElasticState.capture(elastic), "Elastic after the disconnect");
        disconnected = true;
    }

    @Test
    @Order(2)
    void theAliasCanThenBeUsedAgain() {
        assumeTrue(disconnected, "the disconnect did not succeed");
        ObjectNode request = Requests.demo(ALIAS);
        long begin = System.nanoTime();
        String id = connect.submit(request.toString());
        JsonNode verified = connect.awaitStatus(id, ConnectionStatus.VERIFIED);
        SagaChecks.printTimings("POST of connection " + id + " (alias reused)", verified, since(begin));

        SagaChecks.keyOnRemoteHasExactlyTheRequestedAccess(elastic, id, ALIAS, request.path("access"));
        SagaChecks.localKeystoreHoldsTheCredentials(elastic, ALIAS);
        SagaChecks.localIsConnectedToRemote(elastic, ALIAS);
        SagaChecks.crossClusterSearchReturnsRemoteDocuments(elastic, ALIAS);
        assertEquals(2, connect.findByAlias(ALIAS, E2eStack.LOCAL_ID).path("total").asInt(),
                "the disconnected and the new connection");
    }
}

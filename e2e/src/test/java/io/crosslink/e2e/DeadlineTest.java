package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.deploy.CrosslinkService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.ElasticState;
import io.crosslink.e2e.support.Poll;
import io.crosslink.e2e.support.Requests;
import io.crosslink.e2e.support.SagaChecks;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The saga's deadline: trust-service is down, so a request stops at KEY_CREATED; when the deadline passes,
 * connect-service starts compensation. The chain waits for trust-service; once it is back it works through its
 * backlog (which may include writing the keystore late, a success the chain then undoes) and the connection ends
 * COMPENSATED with nothing left on either side.
 */
@Order(15)
class DeadlineTest extends ReliabilityScenario {

    @Test
    void aSagaWhoseDownstreamServiceIsDownIsCompensatedAtItsDeadline() {
        String alias = "e2e-deadline";
        ElasticState before = ElasticState.capture(elastic);
        Duration deadline = E2eStack.TIMINGS.sagaDeadline();
        stack.kill(CrosslinkService.TRUST);
        long begin = System.nanoTime();
        String id;
        long compensating;
        try {
            id = connect.submit(Requests.demo(alias).toString());
            connect.awaitStatus(id, ConnectionStatus.KEY_CREATED);
            assertEquals(1, elastic.activeApiKeys(E2eStack.REMOTE_ID, "crosslink-" + id).size(), "the key on R");

            connect.awaitStatus(id, ConnectionStatus.COMPENSATING, deadline.plus(Poll.TIMEOUT));
            compensating = System.nanoTime();
            // The chain has reached trust-service, which is down: connect-service's own undo is done.
            Poll.until("RemoteRemoved of " + id, () -> events.findAll(RemoteRemoved.class, id).stream().findFirst(),
                    () -> "not yet");
            assertEquals(ConnectionStatus.COMPENSATING.name(), connect.document(id).path("status").asText());
        } finally {
            stack.restart(CrosslinkService.TRUST);
        }
        long restarted = System.nanoTime();

        JsonNode done = connect.awaitStatus(id, ConnectionStatus.COMPENSATED);
        List<ConnectionEvent> events = this.events.of(id);
        boolean lateKeystoreWrite = events.stream().anyMatch(KeystoreUpdated.class::isInstance);
        System.out.printf("deadline %d s: COMPENSATING %d ms after the POST; trust-service back after %d ms; COMPENSATED %d ms "
                + "later; trust-service wrote the keystore late (after compensation began): %s%n", deadline.toSeconds(),
                (compensating - begin) / 1_000_000, (restarted - compensating) / 1_000_000, since(restarted).toMillis(),
                lateKeystoreWrite);
        SagaChecks.printTimings("POST of connection " + id + " (trust-service down)", done, since(begin));

        SagaChecks.undoRanInReverseOrder(done, "deadline", events);
        CompensationStarted started = SagaChecks.undoEvent(events, CompensationStarted.class);
        assertEquals(null, started.failure(), "a deadline is no step failure");
        Instant createdAt = Instant.parse(done.path("createdAt").asText());
        assertTrue(!started.occurredAt().isBefore(createdAt.plus(deadline)), "compensation began "
                + Duration.between(createdAt, started.occurredAt()).toMillis() + " ms after the request, before its deadline");
        KeystoreEntryRemoved entryRemoved = SagaChecks.undoEvent(events, KeystoreEntryRemoved.class);
        assertTrue(entryRemoved.removed() || !lateKeystoreWrite, "the keystore entry written late was not removed: " + entryRemoved);
        KeyCreated created = events.stream().filter(KeyCreated.class::isInstance).map(KeyCreated.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no KeyCreated: " + events));
        KeyInvalidated invalidated = SagaChecks.undoEvent(events, KeyInvalidated.class);
        assertTrue(invalidated.removed(), invalidated.toString());
        assertEquals(List.of(created.keyId()), invalidated.keyIds(), "the invalidated keys");
        SagaChecks.nothingLeftOnEitherSide(elastic, id, alias);
        assertEquals(before, ElasticState.capture(elastic), "Elastic after the compensation");
        assertTrue(events.stream().noneMatch(RemoteConnected.class::isInstance), "the remote was registered: " + events);
    }
}

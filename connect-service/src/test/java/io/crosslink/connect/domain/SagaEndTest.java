package io.crosslink.connect.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionDocument.TimelineEntry;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.SecurityModel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which status change ends a connection's saga, so its duration is recorded exactly once. */
class SagaEndTest {
    private static final TimelineEntry COMPENSATE = new TimelineEntry(StatusFolding.COMPENSATE, StatusFolding.OK,
            Instant.EPOCH, "CompensationStarted", null, null, null);

    private static StatusFolding.State state(ConnectionStatus status, Compensation compensation,
            TimelineEntry... timeline) {
        return new StatusFolding.State(status, List.of(timeline), compensation, true, SecurityModel.API_KEY);
    }

    private static boolean ends(ConnectionStatus from, ConnectionStatus to) {
        return StatusFolding.endsSaga(state(from, null), state(to, null));
    }

    @Test
    void theFirstTerminalStatusReachedInFlightEndsTheSaga() {
        assertTrue(ends(ConnectionStatus.REQUESTED, ConnectionStatus.REJECTED));
        assertTrue(ends(ConnectionStatus.REMOTE_CONNECTED, ConnectionStatus.VERIFIED));
        assertTrue(ends(ConnectionStatus.REQUESTED, ConnectionStatus.COMPENSATED), "cancelled in its checks");
        assertFalse(ends(ConnectionStatus.KEY_CREATED, ConnectionStatus.KEYSTORE_UPDATED), "a step, not an end");
        assertFalse(ends(ConnectionStatus.KEY_CREATED, ConnectionStatus.COMPENSATING), "an undo starts");
        assertFalse(ends(ConnectionStatus.VERIFIED, ConnectionStatus.VERIFIED), "a redelivery");
    }

    @Test
    void theUndoOfAFailedSagaEndsItWhenItCompletes() {
        Compensation chain = Compensation.begin(CompensationCause.FAILURE);
        assertTrue(StatusFolding.endsSaga(state(ConnectionStatus.COMPENSATING, chain, COMPENSATE),
                state(ConnectionStatus.COMPENSATED, chain, COMPENSATE)));
        assertTrue(StatusFolding.endsSaga(state(ConnectionStatus.COMPENSATING, chain, COMPENSATE),
                state(ConnectionStatus.FAILED, chain, COMPENSATE)));
    }

    @Test
    void aDisconnectAndAnUndoRunAgainEndNoSagaOfTheirOwn() {
        Compensation disconnect = Compensation.begin(CompensationCause.DISCONNECT);
        assertFalse(StatusFolding.endsSaga(state(ConnectionStatus.DISCONNECTING, disconnect, COMPENSATE),
                state(ConnectionStatus.DISCONNECTED, disconnect, COMPENSATE)), "the saga ended VERIFIED before");
        Compensation again = Compensation.begin(CompensationCause.CANCEL);
        assertFalse(StatusFolding.endsSaga(state(ConnectionStatus.COMPENSATING, again, COMPENSATE, COMPENSATE),
                state(ConnectionStatus.COMPENSATED, again, COMPENSATE, COMPENSATE)), "the saga ended FAILED before");
        assertFalse(ends(ConnectionStatus.VERIFIED, ConnectionStatus.DISCONNECTING));
    }
}

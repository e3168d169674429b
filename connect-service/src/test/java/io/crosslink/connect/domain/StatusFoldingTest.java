package io.crosslink.connect.domain;

import static io.crosslink.events.ConnectionStatus.COMPENSATING;
import static io.crosslink.events.ConnectionStatus.FAILED;
import static io.crosslink.events.ConnectionStatus.KEYSTORE_UPDATED;
import static io.crosslink.events.ConnectionStatus.KEY_CREATED;
import static io.crosslink.events.ConnectionStatus.REJECTED;
import static io.crosslink.events.ConnectionStatus.REMOTE_CONNECTED;
import static io.crosslink.events.ConnectionStatus.REQUESTED;
import static io.crosslink.events.ConnectionStatus.VERIFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.events.ConnectionDocument.TimelineEntry;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.SealedSecret;
import io.crosslink.events.StepFailure;
import io.crosslink.events.Violation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatusFoldingTest {
    private static final String ID = "c-1";
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void happyPathAdvancesStepByStep() {
        ConnectionStatus status = REQUESTED;
        List<TimelineEntry> timeline = List.of();
        int second = 1;
        for (ConnectionEvent event : List.of(keyCreated(second++), keystoreUpdated(second++), remoteConnected(second++),
                verified(second++))) {
            StatusFolding.Folded folded = StatusFolding.fold(status, timeline, event);
            assertTrue(folded.advanced(), event.getClass().getSimpleName());
            status = folded.status();
            timeline = folded.timeline();
        }
        assertEquals(VERIFIED, status);
        assertEquals(List.of("create_key", "update_keystore", "register_remote", "verify"),
                timeline.stream().map(TimelineEntry::step).toList());
        assertTrue(timeline.stream().allMatch(e -> e.outcome().equals("ok")));
    }

    @Test
    void ranksFollowTheHappyPath() {
        assertTrue(StatusFolding.rank(REQUESTED) < StatusFolding.rank(KEY_CREATED));
        assertTrue(StatusFolding.rank(KEY_CREATED) < StatusFolding.rank(KEYSTORE_UPDATED));
        assertTrue(StatusFolding.rank(KEYSTORE_UPDATED) < StatusFolding.rank(REMOTE_CONNECTED));
        assertTrue(StatusFolding.rank(REMOTE_CONNECTED) < StatusFolding.rank(VERIFIED));
        assertEquals(-1, StatusFolding.rank(FAILED));
    }

    @Test
    void aStepMayBeSkippedWhenEventsOfDifferentTopicsOvertakeEachOther() {
        StatusFolding.Folded folded = StatusFolding.fold(REQUESTED, List.of(), keystoreUpdated(2));

        assertEquals(KEYSTORE_UPDATED, folded.status());
        assertTrue(folded.advanced());
    }

    @Test
    void aLateLowerEventDoesNotMoveTheStatusBackButIsRecorded() {
        StatusFolding.Folded folded = StatusFolding.fold(KEYSTORE_UPDATED, List.of(entry("update_keystore", 2)),
                keyCreated(1));

        assertEquals(KEYSTORE_UPDATED, folded.status());
        assertFalse(folded.advanced());
        assertEquals(List.of("create_key", "update_keystore"), folded.timeline().stream().map(TimelineEntry::step).toList(),
                "the timeline is in the order the events occurred");
    }

    @Test
    void aDuplicateStepDoesNotAdvance() {
        StatusFolding.Folded folded = StatusFolding.fold(KEY_CREATED, List.of(entry("create_key", 1)), keyCreated(3));

        assertEquals(KEY_CREATED, folded.status());
        assertFalse(folded.advanced());
    }

    @Test
    void aFailedStepFailsTheConnectionWithElasticsError() {
        StepFailure failure = new StepFailure("security_exception", "action [cluster:admin/xpack/security/cross_cluster/api_key/create] is unauthorized", 403, false);

        StatusFolding.Folded folded = StatusFolding.fold(REQUESTED, List.of(),
                new KeyCreationFailed(UUID.randomUUID().toString(), ID, T0.plusSeconds(1), failure));

        assertEquals(FAILED, folded.status());
        TimelineEntry entry = folded.timeline().get(0);
        assertEquals("create_key", entry.step());
        assertEquals("failed", entry.outcome());
        assertEquals("KeyCreationFailed", entry.event());
        assertEquals("security_exception", entry.errorType());
        assertEquals(failure.reason(), entry.errorReason());
        assertEquals(403, entry.httpStatus());
    }

    @Test
    void aFailureAfterTheRemoteConnectedFailsTheConnection() {
        StatusFolding.Folded folded = StatusFolding.fold(REMOTE_CONNECTED, List.of(), new VerificationFailed(
                UUID.randomUUID().toString(), ID, T0, new StepFailure("timeout", "no answer", null, true)));

        assertEquals(FAILED, folded.status());
        assertNull(folded.timeline().get(0).httpStatus());
    }

    @Test
    void terminalStatusesStay() {
        assertEquals(FAILED, StatusFolding.fold(FAILED, List.of(), verified(5)).status());
        assertEquals(VERIFIED, StatusFolding.fold(VERIFIED, List.of(), keyCreated(5)).status());
        assertEquals(REJECTED, StatusFolding.fold(REJECTED, List.of(), keyCreated(5)).status());
    }

    @Test
    void compensationStatusesAreNotAdvancedByLateSteps() {
        StatusFolding.Folded folded = StatusFolding.fold(COMPENSATING, List.of(), remoteConnected(4));

        assertEquals(COMPENSATING, folded.status());
        assertEquals(1, folded.timeline().size());
    }

    @Test
    void rejectionEndsARequestedConnectionWithItsReasons() {
        StatusFolding.Folded folded = StatusFolding.fold(REQUESTED, List.of(), new ConnectionRejected(
                UUID.randomUUID().toString(), ID, T0, List.of(new Violation("remote.deploymentId", "deployment not found"))));

        assertEquals(REJECTED, folded.status());
        TimelineEntry entry = folded.timeline().get(0);
        assertEquals("validate", entry.step());
        assertEquals("failed", entry.outcome());
        assertEquals("rejected", entry.errorType());
        assertEquals("remote.deploymentId: deployment not found", entry.errorReason());
    }

    @Test
    void rejectionDoesNotUndoAStartedSaga() {
        assertEquals(KEY_CREATED, StatusFolding.fold(KEY_CREATED, List.of(), new ConnectionRejected(
                UUID.randomUUID().toString(), ID, T0, List.of(new Violation("alias", "x")))).status());
    }

    private static KeyCreated keyCreated(int second) {
        return new KeyCreated(UUID.randomUUID().toString(), ID, T0.plusSeconds(second), "key-id", "crosslink-" + ID,
                new SealedSecret("k", "n", "c"));
    }

    private static KeystoreUpdated keystoreUpdated(int second) {
        return new KeystoreUpdated(UUID.randomUUID().toString(), ID, T0.plusSeconds(second), "cluster.remote.a.credentials");
    }

    private static RemoteConnected remoteConnected(int second) {
        return new RemoteConnected(UUID.randomUUID().toString(), ID, T0.plusSeconds(second), "a", "r:9443", "r", true);
    }

    private static ConnectionVerified verified(int second) {
        return new ConnectionVerified(UUID.randomUUID().toString(), ID, T0.plusSeconds(second), "a:demo-*", 3, 18, 1);
    }

    private static TimelineEntry entry(String step, int second) {
        return new TimelineEntry(step, "ok", T0.plusSeconds(second), "X", null, null, null);
    }
}

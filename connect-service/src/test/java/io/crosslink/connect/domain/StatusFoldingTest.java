package io.crosslink.connect.domain;

import static io.crosslink.events.ConnectionStatus.COMPENSATED;
import static io.crosslink.events.ConnectionStatus.COMPENSATING;
import static io.crosslink.events.ConnectionStatus.DISCONNECTED;
import static io.crosslink.events.ConnectionStatus.DISCONNECTING;
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
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.connect.domain.StatusFolding.Folded;
import io.crosslink.connect.domain.StatusFolding.State;
import io.crosslink.events.CompensationCause;
import io.crosslink.events.ConnectionDocument.TimelineEntry;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.CompensationStarted;
import io.crosslink.events.ConnectionEvent.ConnectionRejected;
import io.crosslink.events.ConnectionEvent.ConnectionVerified;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyCreationFailed;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemovalFailed;
import io.crosslink.events.ConnectionEvent.KeystoreEntryRemoved;
import io.crosslink.events.ConnectionEvent.KeystoreUpdateFailed;
import io.crosslink.events.ConnectionEvent.KeystoreUpdated;
import io.crosslink.events.ConnectionEvent.RemoteConnected;
import io.crosslink.events.ConnectionEvent.RemoteRegistrationFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemovalFailed;
import io.crosslink.events.ConnectionEvent.RemoteRemoved;
import io.crosslink.events.ConnectionEvent.VerificationFailed;
import io.crosslink.events.ConnectionStatus;
import io.crosslink.events.SealedSecret;
import io.crosslink.events.SecurityModel;
import io.crosslink.events.StepFailure;
import io.crosslink.events.UndoChain;
import io.crosslink.events.Violation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How events move a connection, one path per test, without a database. */
class StatusFoldingTest {
    private static final String ID = "c-1";
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final StepFailure DENIED = new StepFailure("security_exception",
            "action [cluster:admin/xpack/security/cross_cluster/api_key/create] is unauthorized", 403, false);

    // ------------------------------------------------------------------ happy path

    @Test
    void happyPathAdvancesStepByStep() {
        State state = state(REQUESTED);
        int second = 1;
        for (ConnectionEvent event : List.of(keyCreated(second++), keystoreUpdated(second++), remoteConnected(second++),
                verified(second++))) {
            Folded folded = StatusFolding.fold(state, event);
            assertTrue(folded.advanced(), event.getClass().getSimpleName());
            assertFalse(folded.startsCompensation());
            state = folded.state();
        }
        assertEquals(VERIFIED, state.status());
        assertEquals(List.of("create_key", "update_keystore", "register_remote", "verify"), steps(state));
        assertTrue(state.timeline().stream().allMatch(e -> e.outcome().equals("ok")));
    }

    /** What Elastic warned about during a step (9.x deprecations) is shown with that step, and only there. */
    @Test
    void aStepsWarningsAreShownWithItsTimelineEntry() {
        State state = StatusFolding.fold(state(REQUESTED), keyCreated(1)).state();
        state = StatusFolding.fold(state, keystoreUpdated(2)).state();
        state = StatusFolding.fold(state, remoteConnected(3)).state();
        String deprecation = "The remote cluster connection to [a] is using deprecated certificate based security model.";
        ConnectionVerified warned = new ConnectionVerified(UUID.randomUUID().toString(), ID, T0.plusSeconds(4), "a:*", 3, 18,
                2, List.of(deprecation));

        state = StatusFolding.fold(state, warned).state();

        assertEquals(VERIFIED, state.status());
        assertEquals(List.of(deprecation), state.timeline().get(state.timeline().size() - 1).warnings());
        assertTrue(state.timeline().subList(0, state.timeline().size() - 1).stream().allMatch(e -> e.warnings() == null),
                "no other step warned: " + state.timeline());
    }

    @Test
    void ranksFollowTheHappyPath() {
        assertTrue(StatusFolding.rank(REQUESTED) < StatusFolding.rank(KEY_CREATED));
        assertTrue(StatusFolding.rank(KEY_CREATED) < StatusFolding.rank(KEYSTORE_UPDATED));
        assertTrue(StatusFolding.rank(KEYSTORE_UPDATED) < StatusFolding.rank(REMOTE_CONNECTED));
        assertTrue(StatusFolding.rank(REMOTE_CONNECTED) < StatusFolding.rank(VERIFIED));
        assertEquals(-1, StatusFolding.rank(FAILED));
        assertEquals(-1, StatusFolding.rank(COMPENSATING));
    }

    @Test
    void aStepMayBeSkippedWhenEventsOfDifferentTopicsOvertakeEachOther() {
        Folded folded = StatusFolding.fold(state(REQUESTED), keystoreUpdated(2));

        assertEquals(KEYSTORE_UPDATED, folded.status());
        assertTrue(folded.advanced());
    }

    @Test
    void aLateLowerEventDoesNotMoveTheStatusBackButIsRecorded() {
        Folded folded = StatusFolding.fold(KEYSTORE_UPDATED, List.of(entry("update_keystore", 2)), keyCreated(1));

        assertEquals(KEYSTORE_UPDATED, folded.status());
        assertFalse(folded.advanced());
        assertEquals(List.of("create_key", "update_keystore"), steps(folded.state()),
                "the timeline is in the order the events occurred");
    }

    @Test
    void aDuplicateStepDoesNotAdvance() {
        Folded folded = StatusFolding.fold(KEY_CREATED, List.of(entry("create_key", 1)), keyCreated(3));

        assertEquals(KEY_CREATED, folded.status());
        assertFalse(folded.advanced());
    }

    @Test
    void rejectionEndsARequestedConnectionWithItsReasons() {
        Folded folded = StatusFolding.fold(state(REQUESTED), new ConnectionRejected(
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
        assertEquals(KEY_CREATED, StatusFolding.fold(state(KEY_CREATED), new ConnectionRejected(
                UUID.randomUUID().toString(), ID, T0, List.of(new Violation("alias", "x")))).status());
    }

    // ------------------------------------------------------------------ a failed step starts compensation

    @Test
    void aFailedStepOfAConnectionInFlightStartsCompensationWithElasticsError() {
        Folded failed = StatusFolding.fold(state(REQUESTED), new KeyCreationFailed(UUID.randomUUID().toString(), ID,
                T0.plusSeconds(1), DENIED));

        assertTrue(failed.startsCompensation(), "CompensationStarted(failure) must follow");
        TimelineEntry entry = failed.timeline().get(0);
        assertEquals("create_key", entry.step());
        assertEquals("failed", entry.outcome());
        assertEquals("KeyCreationFailed", entry.event());
        assertEquals("security_exception", entry.errorType());
        assertEquals(DENIED.reason(), entry.errorReason());
        assertEquals(403, entry.httpStatus());

        Folded compensating = StatusFolding.fold(failed.state(), started(CompensationCause.FAILURE, DENIED, 2));
        assertEquals(COMPENSATING, compensating.status());
        assertEquals(Compensation.begin(CompensationCause.FAILURE), compensating.compensation());
        TimelineEntry compensate = compensating.timeline().get(1);
        assertEquals("compensate", compensate.step());
        assertEquals("ok", compensate.outcome());
        assertEquals("CompensationStarted", compensate.event());
        assertEquals("failure", compensate.errorType(), "the cause");
        assertTrue(compensate.errorReason().contains("security_exception"), compensate.errorReason());
    }

    @Test
    void everyFailedStepInFlightStartsCompensation() {
        List<ConnectionEvent> failures = List.of(
                new KeyCreationFailed(UUID.randomUUID().toString(), ID, T0, DENIED),
                new KeystoreUpdateFailed(UUID.randomUUID().toString(), ID, T0, DENIED),
                new RemoteRegistrationFailed(UUID.randomUUID().toString(), ID, T0, DENIED),
                new VerificationFailed(UUID.randomUUID().toString(), ID, T0, new StepFailure("timeout", "no answer", null, true)));
        for (ConnectionStatus status : List.of(REQUESTED, KEY_CREATED, KEYSTORE_UPDATED, REMOTE_CONNECTED)) {
            for (ConnectionEvent failure : failures) {
                Folded folded = StatusFolding.fold(state(status), failure);
                assertTrue(folded.startsCompensation(), status + " " + failure);
                assertEquals(status, folded.status(), "the status changes with CompensationStarted");
            }
        }
    }

    @Test
    void aSecondFailureWhileCompensatingIsOnlyRecorded() {
        State compensating = compensating(CompensationCause.FAILURE);

        Folded folded = StatusFolding.fold(compensating, new VerificationFailed(UUID.randomUUID().toString(), ID,
                T0.plusSeconds(9), new StepFailure("timeout", "no answer", null, true)));

        assertFalse(folded.startsCompensation());
        assertEquals(COMPENSATING, folded.status());
        assertEquals(compensating.compensation(), folded.compensation());
        assertEquals("VerificationFailed", folded.timeline().get(folded.timeline().size() - 1).event());
    }

    @Test
    void aFailureOfAnEndedConnectionIsOnlyRecorded() {
        for (ConnectionStatus status : List.of(VERIFIED, FAILED, COMPENSATED, DISCONNECTED, REJECTED, DISCONNECTING)) {
            Folded folded = StatusFolding.fold(state(status), new KeyCreationFailed(UUID.randomUUID().toString(), ID, T0, DENIED));
            assertFalse(folded.startsCompensation(), status.name());
            assertEquals(status, folded.status());
            assertEquals(1, folded.timeline().size());
        }
    }

    @Test
    void aLateSuccessAfterCompensationBeganIsRecordedWithoutChangingTheStatus() {
        State compensating = compensating(CompensationCause.DEADLINE);
        for (ConnectionEvent late : List.of(keyCreated(10), keystoreUpdated(11), remoteConnected(12), verified(13))) {
            Folded folded = StatusFolding.fold(compensating, late);
            assertEquals(COMPENSATING, folded.status(), late.getClass().getSimpleName());
            assertFalse(folded.advanced());
            assertEquals(late.getClass().getSimpleName(), folded.timeline().get(folded.timeline().size() - 1).event());
        }
    }

    // ------------------------------------------------------------------ the undo chain

    @Test
    void theChainEndsCompensatedOnceEveryUndoReported() {
        State state = compensating(CompensationCause.FAILURE);

        state = assertStays(state, remoteRemoved(10, true), COMPENSATING);
        state = assertStays(state, keystoreEntryRemoved(11, true), COMPENSATING);
        Folded done = StatusFolding.fold(state, keyInvalidated(12));

        assertEquals(COMPENSATED, done.status());
        assertTrue(done.advanced());
        assertEquals(List.of("compensate", "remove_remote", "remove_keystore_entry", "invalidate_key"),
                steps(done.state()));
        assertTrue(done.compensation().complete());
    }

    @Test
    void aDisconnectEndsDisconnected() {
        Folded disconnecting = StatusFolding.fold(state(VERIFIED), started(CompensationCause.DISCONNECT, null, 5));
        assertEquals(DISCONNECTING, disconnecting.status());
        assertEquals("disconnect", disconnecting.timeline().get(0).errorType());

        State state = assertStays(disconnecting.state(), remoteRemoved(6, true), DISCONNECTING);
        state = assertStays(state, keystoreEntryRemoved(7, true), DISCONNECTING);
        assertEquals(DISCONNECTED, StatusFolding.fold(state, keyInvalidated(8)).status());
    }

    @Test
    void nothingToUndoStillEndsCompensated() {
        State state = compensating(CompensationCause.CANCEL);
        state = StatusFolding.fold(state, remoteRemoved(6, false)).state();
        state = StatusFolding.fold(state, keystoreEntryRemoved(7, false)).state();

        assertEquals(COMPENSATED, StatusFolding.fold(state, new KeyInvalidated(UUID.randomUUID().toString(), ID,
                T0.plusSeconds(8), List.of(), false)).status());
    }

    @Test
    void aFailedUndoEndsFailed() {
        State state = compensating(CompensationCause.FAILURE);
        state = StatusFolding.fold(state, remoteRemoved(6, true)).state();
        state = StatusFolding.fold(state, keystoreEntryRemoved(7, true)).state();

        Folded folded = StatusFolding.fold(state, new KeyInvalidationFailed(UUID.randomUUID().toString(), ID,
                T0.plusSeconds(8), new StepFailure("security_exception", "unable to authenticate", 401, false)));

        assertEquals(FAILED, folded.status());
        assertTrue(folded.compensation().key().failed());
        TimelineEntry entry = folded.timeline().get(folded.timeline().size() - 1);
        assertEquals("invalidate_key", entry.step());
        assertEquals("failed", entry.outcome());
        assertEquals("security_exception", entry.errorType());
    }

    @Test
    void anEarlierUndoFailureAlsoEndsFailedOnceTheChainCompletes() {
        State state = StatusFolding.fold(state(VERIFIED), started(CompensationCause.DISCONNECT, null, 5)).state();
        state = assertStays(state, new RemoteRemovalFailed(UUID.randomUUID().toString(), ID, T0.plusSeconds(6),
                new StepFailure("http_503", "unavailable", 503, true)), DISCONNECTING);
        state = assertStays(state, new KeystoreEntryRemovalFailed(UUID.randomUUID().toString(), ID, T0.plusSeconds(7),
                new StepFailure("deployments.metadata_internal_error", "x", 500, true)), DISCONNECTING);

        assertEquals(FAILED, StatusFolding.fold(state, keyInvalidated(8)).status());
    }

    @Test
    void theKeyUndoOvertakingTheKeystoreUndoWaitsForIt() {
        State state = compensating(CompensationCause.FAILURE);
        state = StatusFolding.fold(state, remoteRemoved(6, true)).state();

        state = assertStays(state, keyInvalidated(8), COMPENSATING);
        Folded folded = StatusFolding.fold(state, keystoreEntryRemoved(7, true));

        assertEquals(COMPENSATED, folded.status());
        assertEquals(List.of("compensate", "remove_remote", "remove_keystore_entry", "invalidate_key"),
                steps(folded.state()), "the timeline keeps the order the undo steps occurred in");
    }

    @Test
    void aDuplicateUndoReportDoesNotCountTwice() {
        State state = compensating(CompensationCause.FAILURE);
        state = StatusFolding.fold(state, remoteRemoved(6, true)).state();
        state = StatusFolding.fold(state, keystoreEntryRemoved(7, true)).state();

        Folded duplicate = StatusFolding.fold(state, new KeystoreEntryRemovalFailed(UUID.randomUUID().toString(), ID,
                T0.plusSeconds(9), new StepFailure("x", "y", 500, true)));
        assertEquals(COMPENSATING, duplicate.status());
        assertEquals(state.compensation(), duplicate.compensation(), "the first report of a link counts");

        assertEquals(COMPENSATED, StatusFolding.fold(duplicate.state(), keyInvalidated(10)).status());
    }

    @Test
    void undoEventsOutsideAChainAreOnlyRecorded() {
        Folded inFlight = StatusFolding.fold(state(KEY_CREATED), keyInvalidated(3));
        assertEquals(KEY_CREATED, inFlight.status());
        assertNull(inFlight.compensation());

        State compensated = new State(COMPENSATED, List.of(), new Compensation(CompensationCause.FAILURE,
                new Compensation.Undo(true, null), new Compensation.Undo(true, null), new Compensation.Undo(true, null)), true);
        Folded late = StatusFolding.fold(compensated, new KeyInvalidationFailed(UUID.randomUUID().toString(), ID, T0,
                new StepFailure("x", "y", 500, true)));
        assertEquals(COMPENSATED, late.status());
        assertSame(compensated.compensation(), late.compensation());
        assertEquals(1, late.timeline().size());
    }

    @Test
    void aReRunCountsOnlyItsOwnAnswersNotTheLateOnesOfAnEarlierRun() {
        UndoChain first = new UndoChain("run-1", T0.plusSeconds(900));
        UndoChain second = new UndoChain("run-2", T0.plusSeconds(1000));
        State failed = new State(FAILED, List.of(), new Compensation(CompensationCause.FAILURE,
                new Compensation.Undo(true, null), new Compensation.Undo(true, null),
                new Compensation.Undo(false, new StepFailure("x", "y", 500, true)), null, SecurityModel.API_KEY, first),
                true);

        Folded again = StatusFolding.fold(failed, new CompensationStarted("run-2", ID, T0.plusSeconds(100),
                CompensationCause.CANCEL, null, second, SecurityModel.API_KEY));
        assertEquals(second, again.compensation().chain());
        State state = StatusFolding.fold(again.state(), new RemoteRemoved(UUID.randomUUID().toString(), ID,
                T0.plusSeconds(101), "a", true, null, second)).state();
        // The first run's key undo reports late: recorded in the timeline, but not as the re-run's key link.
        Folded late = StatusFolding.fold(state, new KeyInvalidated(UUID.randomUUID().toString(), ID,
                T0.plusSeconds(102), List.of("k"), true, first));
        assertEquals(COMPENSATING, late.status());
        assertEquals(List.of("keystore", "key"), late.compensation().waitingFor());
        assertEquals(state.timeline().size() + 1, late.timeline().size());

        state = StatusFolding.fold(late.state(), new KeystoreEntryRemoved(UUID.randomUUID().toString(), ID,
                T0.plusSeconds(103), "cluster.remote.a.credentials", false, second)).state();
        assertEquals(COMPENSATED, StatusFolding.fold(state, new KeyInvalidated(UUID.randomUUID().toString(), ID,
                T0.plusSeconds(104), List.of(), false, second)).status());
        // An answer written before runs were told apart still counts for the run it reaches.
        assertEquals(List.of("keystore", "key"), StatusFolding.fold(again.state(), remoteRemoved(105, true))
                .compensation().waitingFor());
    }

    // ------------------------------------------------------------------ starting a chain

    @Test
    void compensationStartsFromInFlightVerifiedOrFailedOnly() {
        for (ConnectionStatus status : ConnectionStatus.values()) {
            boolean expected = status == REQUESTED || status == KEY_CREATED || status == KEYSTORE_UPDATED
                    || status == ConnectionStatus.TRUST_UPDATED || status == REMOTE_CONNECTED || status == VERIFIED
                    || status == FAILED;
            assertEquals(expected, StatusFolding.compensable(status), status.name());
        }
    }

    @Test
    void aCompensationStartedWhileAChainRunsIsOnlyRecorded() {
        State state = StatusFolding.fold(compensating(CompensationCause.FAILURE), remoteRemoved(6, true)).state();

        Folded again = StatusFolding.fold(state, started(CompensationCause.CANCEL, null, 7));

        assertEquals(COMPENSATING, again.status());
        assertEquals(state.compensation(), again.compensation(), "the running chain keeps its reports");
    }

    @Test
    void aFailedConnectionRunsItsUndoChainAgain() {
        State failed = new State(FAILED, List.of(), new Compensation(CompensationCause.FAILURE,
                new Compensation.Undo(true, null), new Compensation.Undo(true, null),
                new Compensation.Undo(false, new StepFailure("x", "y", 500, true))), true);

        Folded again = StatusFolding.fold(failed, started(CompensationCause.CANCEL, null, 20));

        assertEquals(COMPENSATING, again.status());
        assertEquals(Compensation.begin(CompensationCause.CANCEL), again.compensation(), "a fresh chain");
        State state = StatusFolding.fold(again.state(), remoteRemoved(21, true)).state();
        state = StatusFolding.fold(state, keystoreEntryRemoved(22, false)).state();
        assertEquals(COMPENSATED, StatusFolding.fold(state, keyInvalidated(23)).status());
    }

    @Test
    void aConnectionWhoseSagaNeverStartedEndsCompensatedWithoutAChain() {
        Folded folded = StatusFolding.fold(new State(REQUESTED, List.of(), null, false),
                started(CompensationCause.CANCEL, null, 1));

        assertEquals(COMPENSATED, folded.status());
        assertEquals("cancel", folded.timeline().get(0).errorType());
    }

    @Test
    void theDeadlineCompensatesAConnectionInFlight() {
        Folded folded = StatusFolding.fold(state(KEY_CREATED), started(CompensationCause.DEADLINE, null, 300));

        assertEquals(COMPENSATING, folded.status());
        assertEquals("deadline", folded.timeline().get(0).errorType());
        assertNull(folded.timeline().get(0).httpStatus());
    }

    // ------------------------------------------------------------------ helpers

    private static State state(ConnectionStatus status) {
        return new State(status, List.of(), null, true);
    }

    private static State compensating(CompensationCause cause) {
        return StatusFolding.fold(state(KEY_CREATED), started(cause, null, 5)).state();
    }

    private static State assertStays(State state, ConnectionEvent event, ConnectionStatus expected) {
        Folded folded = StatusFolding.fold(state, event);
        assertEquals(expected, folded.status(), event.getClass().getSimpleName());
        return folded.state();
    }

    private static List<String> steps(State state) {
        return state.timeline().stream().map(TimelineEntry::step).toList();
    }

    private static CompensationStarted started(CompensationCause cause, StepFailure failure, int second) {
        return new CompensationStarted(UUID.randomUUID().toString(), ID, T0.plusSeconds(second), cause, failure);
    }

    private static RemoteRemoved remoteRemoved(int second, boolean removed) {
        return new RemoteRemoved(UUID.randomUUID().toString(), ID, T0.plusSeconds(second), "a", removed);
    }

    private static KeystoreEntryRemoved keystoreEntryRemoved(int second, boolean removed) {
        return new KeystoreEntryRemoved(UUID.randomUUID().toString(), ID, T0.plusSeconds(second),
                "cluster.remote.a.credentials", removed);
    }

    private static KeyInvalidated keyInvalidated(int second) {
        return new KeyInvalidated(UUID.randomUUID().toString(), ID, T0.plusSeconds(second), List.of("key-id"), true);
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

package io.crosslink.key.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.elastic.ElasticCallException;
import io.crosslink.events.Certainty;
import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.ConnectionEvent.KeyInvalidated;
import io.crosslink.events.ConnectionEvent.KeyInvalidationFailed;
import io.crosslink.events.UndoChain;
import io.crosslink.key.domain.KeyState;
import io.crosslink.key.support.TestEvents;
import io.crosslink.runtime.secret.SecretBox;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.runtime.work.WorkResult;
import io.crosslink.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run of the undo chain in key-service's undo: every answer carries the run it answers, and a transient failure
 * is retried until shortly before the run's deadline (on a clock the test moves by each park), then the final read
 * of R decides. A chain without a deadline (older events) keeps the retry count.
 */
class UndoChainTest {
    private static final String REMOTE = "0b5e55ed12345678abcdef0123456789";
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration MARGIN = Duration.ofSeconds(30);
    /** At most max-backoff plus its 20 % jitter: the longest park of {@link KeyCreationStepTest#RETRIES}. */
    private static final Duration LONGEST_PARK = Duration.ofMillis(9_600);
    private static final String UNAVAILABLE =
            "{\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"[.security] not available\"},\"status\":503}";

    private final MutableClock clock = new MutableClock(START);
    private final FakeElasticClient elastic = new FakeElasticClient();
    private final InMemoryKeyRegistry registry = new InMemoryKeyRegistry();
    private final KeyUndoStep undo = new KeyUndoStep(registry, clock);
    private final SecretBox box = SecretBox.fromBase64(SecretBox.newDataKey());
    private final KeyCreationStep create = new KeyCreationStep(registry, box, clock);
    private final WorkRunner work = new WorkRunner(registry, clock,
            new CreateKeyHandler(registry, new KeyProvisioner(elastic), box,
                    KeyCreationStepTest.RETRIES, clock),
            new InvalidateKeysHandler(registry, new KeyInvalidator(elastic), KeyCreationStepTest.RETRIES,
                    new UndoBudget(MARGIN, clock)));

    private final String connectionId = TestEvents.newConnectionId();
    private final String keyName = "crosslink-" + connectionId;

    // ---------------------------------------------------------------- the run echoed

    @Test
    void keyInvalidatedCarriesTheRunOfTheKeystoreUndoThatAskedForIt() {
        KeyCreated created = createKey();
        UndoChain chain = TestEvents.chain(START.plus(Duration.ofMinutes(15)));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));

        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, last());
        assertEquals(chain, invalidated.chain());
        assertEquals(List.of(created.keyId()), invalidated.keyIds());
    }

    @Test
    void keyInvalidationFailedCarriesItTooAndAPermanentFailureReportsAtOnce() {
        KeyCreated created = createKey();
        UndoChain chain = TestEvents.chain(START.plus(Duration.ofMinutes(15)));
        elastic.failNextInvalidate(ElasticCallException.fromResponse(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"denied\"},\"status\":403}"));

        undoRequested(TestEvents.keystoreEntryRemovalFailed(connectionId, chain));

        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertEquals(chain, failed.chain());
        assertEquals(Certainty.CONFIRMED, failed.certainty());
        assertEquals(List.of(created.keyId()), failed.activeKeyIds());
        assertEquals(List.of(), work.parks, "a refusal is not retried, however far the deadline");
    }

    @Test
    void anUndoQueuedByALateRequestAnswersTheRunOfTheUndoRequest() {
        UndoChain chain = TestEvents.chain(START.plus(Duration.ofMinutes(15)));
        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));
        assertEquals(chain, registry.connections.get(connectionId).undoChain(), "recorded with the undo request");

        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));

        assertEquals(List.of(KeyWork.INVALIDATE_KEYS), registry.work.stream().map(item -> item.kind).toList());
        assertInstanceOf(ConnectionRequested.class, registry.work.get(0).cause, "queued by the request");
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, single());
        assertEquals(chain, invalidated.chain());
        assertFalse(invalidated.removed());
    }

    @Test
    void anUndoQueuedByALateCreateAnswersTheRunOfTheUndoRequest() {
        UndoChain chain = TestEvents.chain(START.plus(Duration.ofMinutes(15)));
        // The undo runs to its end while the key is being created: the create's commit queues another undo.
        elastic.duringNextLookup(() -> {
            undo.onUndoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));
            work.drain(KeyWork.INVALIDATE_KEYS);
        });

        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));

        assertEquals(2, registry.outbox.size(), () -> "events: " + registry.outbox);
        assertInstanceOf(ConnectionRequested.class, registry.work.get(registry.work.size() - 1).cause,
                "the late create queued the second undo");
        KeyInvalidated late = assertInstanceOf(KeyInvalidated.class, last());
        assertTrue(late.removed());
        assertEquals(chain, late.chain());
        assertEquals(chain, assertInstanceOf(KeyInvalidated.class, registry.outbox.get(0)).chain());
    }

    @Test
    void aRepeatedChainAnswersWithItsOwnRun() {
        createKey();
        UndoChain first = TestEvents.chain(START.plus(Duration.ofMinutes(15)));
        UndoChain second = TestEvents.chain(START.plus(Duration.ofMinutes(30)));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, first));
        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, second));

        assertEquals(List.of(first, second), registry.outbox.stream().skip(1)
                .map(event -> assertInstanceOf(KeyInvalidated.class, event).chain()).toList());
        assertEquals(second, registry.connections.get(connectionId).undoChain(), "the latest undo request's run");
    }

    // ---------------------------------------------------------------- retried until the deadline

    @Test
    void anUndoIsRetriedBeyondTheRetryCountWhileTheDeadlineAllowsAndThenSucceeds() {
        KeyCreated created = createKey();
        int failures = KeyCreationStepTest.RETRIES.retries() + 3;
        for (int run = 0; run < failures; run++) {
            elastic.failNextLookup(ElasticCallException.fromResponse(503, UNAVAILABLE));
        }
        UndoChain chain = TestEvents.chain(START.plus(Duration.ofMinutes(15)));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));

        assertEquals(failures, work.parks.size(), "parked after every failure, more often than the retry count");
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, last());
        assertEquals(List.of(created.keyId()), invalidated.keyIds());
        assertTrue(invalidated.removed());
        assertEquals(chain, invalidated.chain());
        assertTrue(elastic.active(keyName).isEmpty());
    }

    @Test
    void afterTheBudgetTheFinalReadConfirmsAKeyStillActive() {
        KeyCreated created = createKey();
        UndoChain chain = TestEvents.chain(START.plus(Duration.ofMinutes(2)));
        for (int run = 0; run < 100; run++) {
            elastic.failNextInvalidate(ElasticCallException.fromResponse(503, UNAVAILABLE));
        }

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));

        assertBudgetUsedUp(chain);
        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertEquals(chain, failed.chain());
        assertTrue(failed.failure().retryable());
        assertEquals(Certainty.CONFIRMED, failed.certainty(), "the final read shows the key");
        assertEquals(List.of(created.keyId()), failed.activeKeyIds());
        assertEquals(KeyState.ACTIVE, registry.keys.get(connectionId).state());
        long lookups = elastic.calls.stream().filter(call -> call.startsWith("GET")).count();
        assertEquals(work.parks.size() + 2, lookups, "one lookup per run, then the final read");
    }

    @Test
    void afterTheBudgetAFinalReadThatFailsTooLeavesAPossibleLeftover() {
        createKey();
        UndoChain chain = TestEvents.chain(START.plus(Duration.ofMinutes(2)));
        for (int run = 0; run < 100; run++) {
            elastic.failNextLookup(ElasticCallException.fromResponse(503, UNAVAILABLE));
        }

        undoRequested(TestEvents.keystoreEntryRemovalFailed(connectionId, chain));

        assertBudgetUsedUp(chain);
        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertEquals(Certainty.POSSIBLE, failed.certainty());
        assertEquals(List.of(), failed.activeKeyIds());
        assertEquals(chain, failed.chain());
    }

    @Test
    void afterTheBudgetAFinalReadShowingNoActiveKeyReportsTheUndoDone() {
        KeyCreated created = createKey();
        UndoChain chain = TestEvents.chain(START.plus(Duration.ofMinutes(2)));
        // Every invalidation takes effect on R but its answer is lost; the recorded key stays "active" on record, so
        // each run sends it again, until the budget ends and the final read finds nothing active.
        for (int run = 0; run < 100; run++) {
            elastic.loseNextInvalidateAnswer(ElasticCallException.fromResponse(503, UNAVAILABLE));
        }

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));

        assertBudgetUsedUp(chain);
        KeyInvalidated invalidated = assertInstanceOf(KeyInvalidated.class, last());
        assertEquals(List.of(created.keyId()), invalidated.keyIds());
        assertTrue(invalidated.removed());
        assertEquals(chain, invalidated.chain());
        assertEquals(KeyState.INVALIDATED, registry.keys.get(connectionId).state());
    }

    @Test
    void aDeadlineTooCloseForAnotherRunReportsAfterTheFirstFailure() {
        createKey();
        // 100 ms left before the deadline less the margin: too little for the shortest park (500 ms).
        UndoChain chain = TestEvents.chain(START.plus(MARGIN).plusMillis(100));
        elastic.failNextLookup(ElasticCallException.fromResponse(503, UNAVAILABLE));
        elastic.failNextLookup(ElasticCallException.fromResponse(503, UNAVAILABLE));

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));

        assertEquals(List.of(), work.parks);
        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertEquals(Certainty.POSSIBLE, failed.certainty());
        assertEquals(chain, failed.chain());
    }

    @Test
    void withoutAChainTheRetryCountStillRules() {
        KeyCreated created = createKey();
        int failures = KeyCreationStepTest.RETRIES.retries() + 3;
        for (int run = 0; run < failures; run++) {
            elastic.failNextLookup(ElasticCallException.fromResponse(503, UNAVAILABLE));
        }

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId));

        assertEquals(KeyCreationStepTest.RETRIES.retries(), work.parks.size(), "the old count, not the failures");
        KeyInvalidationFailed failed = assertInstanceOf(KeyInvalidationFailed.class, last());
        assertNull(failed.chain());
        assertTrue(failed.failure().retryable());
        // The final read is the next lookup, still failing (the failures outnumber the runs).
        assertEquals(Certainty.POSSIBLE, failed.certainty());
        assertTrue(elastic.keys.get(created.keyId()).active);
    }

    @Test
    void aChainWithoutADeadlineKeepsTheRetryCountToo() {
        createKey();
        UndoChain chain = new UndoChain(TestEvents.chain(START).id(), null);
        int failures = KeyCreationStepTest.RETRIES.retries() + 3;
        for (int run = 0; run < failures; run++) {
            elastic.failNextLookup(ElasticCallException.fromResponse(503, UNAVAILABLE));
        }

        undoRequested(TestEvents.keystoreEntryRemoved(connectionId, chain));

        assertEquals(KeyCreationStepTest.RETRIES.retries(), work.parks.size());
        assertEquals(chain, assertInstanceOf(KeyInvalidationFailed.class, last()).chain());
    }

    /**
     * The undo kept retrying as long as a run could start before the deadline less the margin, and no longer: every
     * run started before that moment, more runs than the retry count, and the last one too close to it for another.
     */
    private void assertBudgetUsedUp(UndoChain chain) {
        Instant lastStart = chain.deadline().minus(MARGIN);
        List<Instant> undoRuns = work.runStarts.subList(1, work.runStarts.size()); // the first run made the key
        assertTrue(undoRuns.size() > KeyCreationStepTest.RETRIES.retries() + 1, () -> "runs: " + undoRuns);
        assertEquals(work.parks.size() + 1, undoRuns.size());
        assertTrue(undoRuns.stream().allMatch(start -> start.isBefore(lastStart)), () -> "runs: " + undoRuns);
        Instant finalRun = undoRuns.get(undoRuns.size() - 1);
        assertFalse(finalRun.plus(LONGEST_PARK).isBefore(lastStart),
                () -> "stopped early: last run at " + finalRun + ", retries allowed until " + lastStart);
        assertTrue(work.parks.stream().map(WorkResult.Park::delay).allMatch(delay -> delay.compareTo(LONGEST_PARK) <= 0),
                "the usual backoff");
    }

    private KeyCreated createKey() {
        requested(TestEvents.requested(connectionId, REMOTE, TestEvents.searchAndReplication()));
        KeyCreated created = assertInstanceOf(KeyCreated.class, single());
        elastic.calls.clear();
        return created;
    }

    private void requested(ConnectionRequested event) {
        create.on(event);
        work.drain();
    }

    private void undoRequested(ConnectionEvent event) {
        undo.onUndoRequested(event);
        work.drain();
    }

    private ConnectionEvent last() {
        assertFalse(registry.outbox.isEmpty(), "no event");
        return registry.outbox.get(registry.outbox.size() - 1);
    }

    private ConnectionEvent single() {
        assertEquals(1, registry.outbox.size(), () -> "events: " + registry.outbox);
        return registry.outbox.get(0);
    }
}

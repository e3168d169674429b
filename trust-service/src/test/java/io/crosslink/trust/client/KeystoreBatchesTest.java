package io.crosslink.trust.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crosslink.trust.client.KeystoreBatches.Change;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit of keystore changes: who waits for which PATCH, and what each caller learns. */
class KeystoreBatchesTest {
    static final DeploymentResource L = new DeploymentResource("ece", "c0ffee00", "main-elasticsearch");
    static final DeploymentResource OTHER = new DeploymentResource("ece", "bee5feed", "main-elasticsearch");

    final ExecutorService callers = Executors.newCachedThreadPool();
    /** Every PATCH sent: its keystore's deployment and the names it changed, in order. */
    final List<String> sent = new CopyOnWriteArrayList<>();
    /** The first PATCH of L waits for this: the changes that come meanwhile queue up. */
    final CountDownLatch releaseFirst = new CountDownLatch(1);
    final CountDownLatch firstInFlight = new CountDownLatch(1);
    volatile String refusedName;

    final KeystoreBatches batches = new KeystoreBatches((resource, changes) -> {
        sent.add(resource.deploymentId() + ":" + changes.stream().map(Change::settingName).toList());
        if (resource.equals(L) && firstInFlight.getCount() > 0) {
            firstInFlight.countDown();
            await(releaseFirst);
        }
        if (changes.stream().anyMatch(change -> change.settingName().equals(refusedName))) {
            throw new IllegalArgumentException("refused " + changes.size());
        }
    });

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void changesThatComeWhileAPatchIsInFlight_leaveTogetherInTheNext() throws Exception {
        Future<?> first = apply(L, "a", "1");
        assertTrue(firstInFlight.await(5, TimeUnit.SECONDS));
        List<Future<?>> queued = new ArrayList<>();
        for (String name : List.of("b", "c", "d")) {
            queued.add(apply(L, name, name.equals("c") ? null : "v"));
            int count = queued.size();
            waitUntil(() -> batches.waiting(L) == count); // one at a time: the order they came is known
        }

        releaseFirst.countDown();

        first.get(5, TimeUnit.SECONDS);
        for (Future<?> change : queued) {
            change.get(5, TimeUnit.SECONDS);
        }
        assertEquals(List.of("c0ffee00:[a]", "c0ffee00:[b, c, d]"), sent);
        assertEquals(0, batches.waiting(L));
    }

    @Test
    void twoChangesOfOneSetting_neverShareAPatch_andLeaveInTheirOrder() throws Exception {
        Future<?> first = apply(L, "a", "1");
        assertTrue(firstInFlight.await(5, TimeUnit.SECONDS));
        Future<?> write = apply(L, "x", "2");
        waitUntil(() -> batches.waiting(L) == 1);
        Future<?> remove = apply(L, "x", null);
        waitUntil(() -> batches.waiting(L) == 2);
        Future<?> other = apply(L, "y", "3");
        waitUntil(() -> batches.waiting(L) == 3);

        releaseFirst.countDown();

        for (Future<?> change : List.of(first, write, remove, other)) {
            change.get(5, TimeUnit.SECONDS);
        }
        assertEquals(List.of("c0ffee00:[a]", "c0ffee00:[x]", "c0ffee00:[x, y]"), sent);
    }

    @Test
    void aFailedPatchOfSeveral_isSentAgainOneChangeAtATime_soEachCallerGetsItsOwnAnswer() throws Exception {
        refusedName = "bad";
        Future<?> first = apply(L, "a", "1");
        assertTrue(firstInFlight.await(5, TimeUnit.SECONDS));
        Future<?> good = apply(L, "good", "2");
        waitUntil(() -> batches.waiting(L) == 1);
        Future<?> bad = apply(L, "bad", "3");
        waitUntil(() -> batches.waiting(L) == 2);

        releaseFirst.countDown();

        first.get(5, TimeUnit.SECONDS);
        good.get(5, TimeUnit.SECONDS);
        Exception refused = assertThrows(Exception.class, () -> bad.get(5, TimeUnit.SECONDS));
        assertEquals("refused 1", refused.getCause().getMessage(), "the answer to its own change alone");
        assertEquals(List.of("c0ffee00:[a]", "c0ffee00:[good, bad]", "c0ffee00:[good]", "c0ffee00:[bad]"), sent);
    }

    @Test
    void aFailureOfOneChangeAlone_reachesItsCallerAsItIs() {
        RuntimeException refusal = new IllegalStateException("409");
        KeystoreBatches failing = new KeystoreBatches((resource, changes) -> {
            throw refusal;
        });

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> failing.apply(L, new Change("a", "1")));

        assertSame(refusal, thrown);
    }

    @Test
    void anotherKeystore_doesNotWaitForThisOnesPatch() throws Exception {
        Future<?> slow = apply(L, "a", "1");
        assertTrue(firstInFlight.await(5, TimeUnit.SECONDS));

        apply(OTHER, "b", "2").get(5, TimeUnit.SECONDS);

        assertEquals(List.of("c0ffee00:[a]", "bee5feed:[b]"), sent);
        releaseFirst.countDown();
        slow.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aChangeNeverShowsItsValue() {
        assertEquals("Change[cluster.remote.a.credentials, write]",
                new Change("cluster.remote.a.credentials", "c2VjcmV0").toString());
    }

    private Future<?> apply(DeploymentResource resource, String name, String value) {
        return callers.submit(() -> batches.apply(resource, new Change(name, value)));
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(5));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("not reached within 5 s");
            }
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

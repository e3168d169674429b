package io.crosslink.runtime.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The named lock on a real PostgreSQL, held from another thread (its own session, as another instance would): the same
 * name is busy for the wait ({@code crosslink.lock.wait=1s} here), another name is free, and the name is free again
 * once the holder is done.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "runtime"))
class AdvisoryLockTest {

    @Inject
    NamedLock lock;

    @Test
    void aNameHeldElsewhereIsBusyAnotherIsFreeAndItIsFreeAgainAfterwards() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> lock.holding("deployment-l", () -> {
            held.countDown();
            await(release);
            return "first";
        }));
        held.await(30, TimeUnit.SECONDS);

        assertThrows(NamedLock.Busy.class, () -> lock.holding("deployment-l", () -> "second"));
        assertEquals("other", lock.holding("deployment-other", () -> "other"));

        release.countDown();
        assertEquals("first", holder.get(30, TimeUnit.SECONDS));
        assertEquals("third", lock.holding("deployment-l", () -> "third"));
    }

    @Test
    void aFailingBodyReleasesTheLock() {
        assertThrows(IllegalArgumentException.class, () -> lock.holding("deployment-f", () -> {
            throw new IllegalArgumentException("boom");
        }));
        assertEquals("after", CompletableFuture.supplyAsync(() -> lock.holding("deployment-f", () -> "after")).join());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

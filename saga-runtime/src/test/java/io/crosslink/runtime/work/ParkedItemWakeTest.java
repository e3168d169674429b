package io.crosslink.runtime.work;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When the dispatcher looks for due work, with a poll interval of an hour (nothing but the events under test wakes it
 * here): an item parked for 300 ms runs again when it falls due; the next item of a connection starts when the one
 * before ends; a run that ends with nothing waiting costs no look.
 */
@QuarkusTest
@TestProfile(ParkedItemWakeTest.HourlyPoll.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "runtime"))
class ParkedItemWakeTest {

    public static class HourlyPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("crosslink.work.poll-interval", "1h");
        }
    }

    @Inject
    WorkQueue queue;

    @Inject
    WorkDispatcher dispatcher;

    @Test
    void aParkedItemRunsAgainWhenDueWithoutWaitingForThePoll() {
        long id = QuarkusTransaction.requiringNew().call(() -> queue.enqueue("parking", "woken", List.of("ece/wake"),
                "test", "w1").id);
        await().atMost(Duration.ofSeconds(30)).until(() -> item(id).state == WorkState.DONE);
        WorkItem done = item(id);
        assertEquals(2, done.attempts, "parked once, then finished");
        assertEquals("waiting:w1", done.checkpoint);
    }

    @Test
    void theNextItemOfAConnectionStartsWhenTheOneBeforeEnds() {
        // Queued together: a look finds the later ones waiting behind the first, so each end must look again.
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> List.of(
                queue.enqueue("blocking", "chained", List.of("ece/chain"), "test", "c1").id,
                queue.enqueue("blocking", "chained", List.of("ece/chain"), "test", "c2").id,
                queue.enqueue("blocking", "chained", List.of("ece/chain"), "test", "c3").id));
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> item(id).state == WorkState.DONE));
    }

    @Test
    void aRunThatEndsWithNothingWaitingCostsNoLook() {
        int before = settledLooks();
        long id = QuarkusTransaction.requiringNew().call(() -> queue.enqueue("blocking", "alone", List.of("ece/alone"),
                "test", "a1").id);
        await().atMost(Duration.ofSeconds(30)).until(() -> item(id).state == WorkState.DONE);
        assertEquals(before + 1, settledLooks(), "one look, after the commit that queued it; none after its end");
    }

    /** The dispatcher's count of looks once it stayed the same for half a second. */
    private int settledLooks() {
        AtomicInteger last = new AtomicInteger(-1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                .until(() -> last.getAndSet(dispatcher.looks()) == dispatcher.looks());
        return dispatcher.looks();
    }

    private static WorkItem item(long id) {
        return QuarkusTransaction.requiringNew().call(() -> WorkItem.<WorkItem>findById(id));
    }
}

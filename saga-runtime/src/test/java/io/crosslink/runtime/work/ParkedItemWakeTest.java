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
import org.junit.jupiter.api.Test;

/**
 * An item parked for 300 ms runs again when it falls due, not at the next poll: with a poll interval of an hour it
 * would otherwise wait an hour (nothing else wakes the dispatcher here).
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

    @Test
    void aParkedItemRunsAgainWhenDueWithoutWaitingForThePoll() {
        long id = QuarkusTransaction.requiringNew().call(() -> queue.enqueue("parking", "woken", List.of("ece/wake"),
                "test", "w1").id);
        await().atMost(Duration.ofSeconds(30)).until(() -> item(id).state == WorkState.DONE);
        WorkItem done = item(id);
        assertEquals(2, done.attempts, "parked once, then finished");
        assertEquals("waiting:w1", done.checkpoint);
    }

    private static WorkItem item(long id) {
        return QuarkusTransaction.requiringNew().call(() -> WorkItem.<WorkItem>findById(id));
    }
}

package io.crosslink.runtime.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two relay transactions at once, as two instances of a service run them, on a real PostgreSQL: a connection whose
 * row one of them is sending is skipped as a whole by the other, so its later events never overtake.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "runtime"))
class OutboxClaimsTest {

    @Inject
    OutboxClaims claims;

    @BeforeEach
    void empty() {
        QuarkusTransaction.requiringNew().run(() -> OutboxMessage.deleteAll());
    }

    @Test
    void aConnectionBeingSentByOneRelayIsSkippedWholeByAnother() throws Exception {
        QuarkusTransaction.requiringNew().run(() -> {
            row("conn-a", "a1");
            row("conn-b", "b1");
            row("conn-a", "a2");
        });
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<String>> first = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew()
                .call(() -> {
                    List<String> rows = ids(claims.claim(1)); // the oldest row only: conn-a's first event
                    claimed.countDown();
                    release.await(30, TimeUnit.SECONDS); // still sending it
                    return rows;
                }));
        claimed.await(30, TimeUnit.SECONDS);

        List<String> second = QuarkusTransaction.requiringNew().call(() -> ids(claims.claim(10)));
        release.countDown();

        assertEquals(List.of("a1"), first.get(30, TimeUnit.SECONDS));
        assertEquals(List.of("b1"), second, "conn-a's a2 waits for the relay that sends a1");
        QuarkusTransaction.requiringNew().run(() -> OutboxMessage.delete("messageId", "a1"));
        assertEquals(List.of("b1", "a2"), QuarkusTransaction.requiringNew().call(() -> ids(claims.claim(10))),
                "once a1 is sent, a2 is free, in seq order");
    }

    private static void row(String key, String id) {
        OutboxMessage row = new OutboxMessage();
        row.messageId = id;
        row.recordKey = key;
        row.topic = "test-events";
        row.ceType = "io.crosslink.Test";
        row.payload = "{}";
        row.createdAt = Instant.now();
        row.persist();
    }

    private static List<String> ids(List<OutboxMessage> rows) {
        return rows.stream().map(row -> row.messageId).toList();
    }
}

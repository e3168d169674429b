package io.crosslink.runtime.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crosslink.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inbox rows past the retention (14 days by default) go; younger ones stay, so their redelivery is still seen. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "runtime"))
class InboxPrunerTest {

    @Inject
    InboxPruner pruner;

    @Test
    void rowsOlderThanTheRetentionArePrunedYoungerOnesStay() {
        Instant now = Instant.parse("2026-12-06T00:00:00Z");
        QuarkusTransaction.requiringNew().run(() -> {
            ProcessedEvent.deleteAll();
            row("old", now.minus(Duration.ofDays(15)));
            row("young", now.minus(Duration.ofDays(13)));
        });

        assertEquals(1, pruner.prune(now));

        assertEquals(List.of("young"), QuarkusTransaction.requiringNew().call(() -> ProcessedEvent.<ProcessedEvent>listAll()
                .stream().map(event -> event.eventId).toList()));
    }

    private static void row(String id, Instant processedAt) {
        ProcessedEvent event = new ProcessedEvent();
        event.eventId = id;
        event.ceType = "io.crosslink.Test";
        event.processedAt = processedAt;
        event.persist();
    }
}

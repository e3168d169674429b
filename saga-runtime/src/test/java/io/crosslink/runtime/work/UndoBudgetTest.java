package io.crosslink.runtime.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crosslink.events.UndoChain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UndoBudgetTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private final UndoBudget budget = new UndoBudget(Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void retriesWhileTheNextRunStartsBeforeTheDeadlineLessTheMargin() {
        UndoChain chain = new UndoChain("c1", NOW.plus(Duration.ofMinutes(2)));
        assertEquals(Optional.of(true), budget.allowsRetryAfter(chain, Duration.ofSeconds(89)));
        assertEquals(Optional.of(false), budget.allowsRetryAfter(chain, Duration.ofSeconds(90)), "would start at the margin");
        assertEquals(Optional.of(false), budget.allowsRetryAfter(chain, Duration.ofMinutes(5)));
        assertEquals(NOW.plus(Duration.ofSeconds(90)), budget.lastStart(chain));
    }

    @Test
    void aChainPastItsDeadlineAllowsNoRetry() {
        assertEquals(Optional.of(false), budget.allowsRetryAfter(new UndoChain("c1", NOW.minusSeconds(1)), Duration.ZERO));
    }

    @Test
    void aChainWithoutDeadlineLeavesTheDecisionToTheCaller() {
        assertEquals(Optional.empty(), budget.allowsRetryAfter(null, Duration.ofSeconds(1)));
        assertEquals(Optional.empty(), budget.allowsRetryAfter(new UndoChain("c1", null), Duration.ofSeconds(1)));
    }

    @Test
    void aNegativeMarginIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UndoBudget(Duration.ofSeconds(-1), Clock.systemUTC()));
    }
}

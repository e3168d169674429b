package io.crosslink.runtime.work;

import io.crosslink.events.UndoChain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long an undo keeps retrying a failure whose outcome is unknown (timeout, 5xx, dropped connection): until
 * shortly before its chain's deadline ({@link UndoChain#deadline()}, set by connect-service from
 * {@code crosslink.saga.undo-deadline}). {@code reportMargin} ({@code crosslink.saga.undo-report-margin}) is kept
 * for the final read of the real state and the report, so the answer reaches connect-service before it ends the chain
 * on its own. A chain written before deadlines were carried has none: the caller's attempt count decides then.
 */
public record UndoBudget(Duration reportMargin, Clock clock) {

    /**
     * Default margin: the last run may still make a few bounded calls (a trust undo reads and writes both sides, then
     * the final read), each within the client's request timeout.
     */
    public static final Duration DEFAULT_REPORT_MARGIN = Duration.ofSeconds(60);

    public UndoBudget {
        if (reportMargin.isNegative()) {
            throw new IllegalArgumentException("the undo report margin must not be negative: " + reportMargin);
        }
    }

    /**
     * Whether the undo may park for {@code delay} and run again: only when that run starts before the chain's
     * deadline less the margin. Empty when {@code chain} carries no deadline.
     */
    public Optional<Boolean> allowsRetryAfter(UndoChain chain, Duration delay) {
        if (chain == null || chain.deadline() == null) {
            return Optional.empty();
        }
        return Optional.of(clock.instant().plus(delay).isBefore(lastStart(chain)));
    }

    /** The latest moment a retry of an undo in {@code chain} may start. */
    public Instant lastStart(UndoChain chain) {
        return chain.deadline().minus(reportMargin);
    }
}

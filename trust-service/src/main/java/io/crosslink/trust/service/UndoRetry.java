package io.crosslink.trust.service;

import io.crosslink.events.UndoChain;
import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.runtime.work.Work;
import java.time.Duration;
import java.util.Optional;

/**
 * How an undo retries a failure that may pass: parked with {@link CloudApiRetry}'s backoff, until shortly before its
 * chain's deadline ({@link UndoBudget}: connect-service ends the chain then, and the final read and the report must
 * come first). A chain without a deadline (an event from before chains carried one) counts the configured runs.
 */
public record UndoRetry(CloudApiRetry retry, UndoBudget budget) {

    /** The park before the undo's next run, or empty when it is to read the real state and report now. */
    public Optional<Duration> nextDelay(Work work, UndoChain chain, Optional<Duration> retryAfter) {
        Duration delay = retry.backoff(work, retryAfter);
        boolean again = budget.allowsRetryAfter(chain, delay).orElseGet(() -> retry.runsLeft(work));
        return again ? Optional.of(delay) : Optional.empty();
    }

    /** Whether a wait (the plan wait) may park for {@code delay} and look again; empty without a chain deadline. */
    public Optional<Boolean> mayWait(UndoChain chain, Duration delay) {
        return budget.allowsRetryAfter(chain, delay);
    }

    /** For the logs: which run this was, and until when (or how many) runs are allowed. */
    public String describeRun(Work work, UndoChain chain) {
        int run = work.attempts() + 1;
        return chain != null && chain.deadline() != null
                ? "run " + run + ", retried until " + budget.lastStart(chain)
                : "run " + run + " of " + retry.attempts();
    }
}

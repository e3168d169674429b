package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One run of the undo chain, started by a {@link ConnectionEvent.CompensationStarted} and passed on by every undo
 * event of that run. {@code id} is the CompensationStarted's event id: an undo answer of an earlier run (a late
 * report after a re-run by {@code DELETE}) carries another id and never counts for the current one.
 * {@code deadline} is when connect-service ends the run FAILED ({@code crosslink.saga.undo-deadline} after its start):
 * each service retries its undo until shortly before it, then reads the real state and reports.
 */
public record UndoChain(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) Instant deadline) {

    /** Whether an answer carrying {@code chain} belongs to this run (an answer from before chains were carried does). */
    public boolean accepts(UndoChain chain) {
        return chain == null || id.equals(chain.id());
    }
}

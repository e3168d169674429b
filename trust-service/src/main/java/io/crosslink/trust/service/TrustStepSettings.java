package io.crosslink.trust.service;

import io.crosslink.events.StepFailure;
import java.time.Clock;
import java.time.Duration;

/**
 * Timings of the certificate-model step and its undo, with the clock and the pause they use (tests pass a clock
 * that moves when paused, so the waits are exact and instant).
 */
public record TrustStepSettings(Duration planTimeout, Duration planPollInterval, int writeAttempts,
        Duration writeRetryDelay, Clock clock, Pause pause) {

    /** Waits; an interrupted wait ends the step as a (retryable) failure. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration);
    }

    public static final Pause THREAD_SLEEP = duration -> {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrustStepException(new StepFailure("interrupted", "trust-service was stopped while waiting",
                    null, true));
        }
    };
}

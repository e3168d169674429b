package io.crosslink.trust.service;

import java.time.Clock;
import java.time.Duration;

/**
 * Timings of the certificate-model step and its undo, with the clock they read (tests pass one they move): how long
 * the plan wait may last, how long a work item parks between two looks at the plans, and how many times a
 * read-modify-write of one deployment reads again at once after a 409 (another writer came first) before parking.
 */
public record TrustStepSettings(Duration planTimeout, Duration planPollInterval, int writeAttempts, Clock clock) {

    public TrustStepSettings {
        writeAttempts = Math.max(1, writeAttempts);
    }
}

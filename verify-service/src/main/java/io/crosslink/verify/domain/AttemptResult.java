package io.crosslink.verify.domain;

import io.crosslink.events.StepFailure;

/** What one verification attempt showed. */
public sealed interface AttemptResult {

    /** The remote answered inside the granted access. */
    record Proven(String probe, long probeHits, int connectedSockets) implements AttemptResult {
    }

    /**
     * Not (yet) proven, and why (Elasticsearch's words, redacted). {@code hopeless}: trying again cannot help
     * (no access configured for the deployment, L refuses our own credentials), so the verification fails at once.
     */
    record Unproven(StepFailure cause, boolean hopeless) implements AttemptResult {
        public static Unproven retry(StepFailure cause) {
            return new Unproven(cause, false);
        }
    }
}

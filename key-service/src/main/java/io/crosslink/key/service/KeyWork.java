package io.crosslink.key.service;

import io.crosslink.events.ConnectionEvent;
import io.crosslink.events.ConnectionEvent.ConnectionRequested;
import io.crosslink.events.ConnectionEvent.UndoDone;
import io.crosslink.events.ConnectionEvent.UndoFailed;
import io.crosslink.events.UndoChain;
import io.crosslink.key.config.KeyServiceConfig;
import io.crosslink.key.domain.TrackedConnection;
import io.crosslink.runtime.work.Work;
import io.crosslink.runtime.work.WorkBackoff;
import io.crosslink.runtime.work.WorkQueue;
import java.time.Duration;
import java.util.Optional;

/**
 * The work items of key-service. The consumers queue them ({@link KeyCreationStep}, {@link KeyUndoStep}), the
 * handlers run them on the dispatcher's workers ({@link CreateKeyHandler}, {@link InvalidateKeysHandler}); each
 * calls only R, so it runs under R's permit and a slow R delays no other deployment's keys.
 */
public final class KeyWork {
    /** ConnectionRequested (API-key model): create the key on R, announce KeyCreated or KeyCreationFailed. */
    public static final String CREATE_KEY = "create-key";
    /** The key undo: invalidate the connection's keys on R, announce KeyInvalidated or KeyInvalidationFailed. */
    public static final String INVALIDATE_KEYS = "invalidate-keys";
    /** The environment of a deployment recorded before key-service remembered environments. */
    static final String UNKNOWN_ENVIRONMENT = "unknown";

    private KeyWork() {
    }

    /** The permit name of the request's R. */
    static String deployment(ConnectionRequested event) {
        return WorkQueue.deployment(event.request().remote().environment(), event.request().remote().deploymentId());
    }

    /** The permit name of the connection's R, as recorded from its request. */
    static String deployment(TrackedConnection connection) {
        return WorkQueue.deployment(connection.remoteEnvironment() == null ? UNKNOWN_ENVIRONMENT
                : connection.remoteEnvironment(), connection.remoteDeploymentId());
    }

    /** The run of the undo chain a keystore undo event belongs to (null in events from before runs were carried). */
    static UndoChain chainOf(ConnectionEvent undoRequest) {
        if (undoRequest instanceof UndoDone done) {
            return done.chain();
        }
        if (undoRequest instanceof UndoFailed failed) {
            return failed.chain();
        }
        return null;
    }

    /**
     * The run an {@value #INVALIDATE_KEYS} item answers: that of the keystore undo event that queued it; for one a
     * late ConnectionRequested or a late create queued, that of the latest undo request, as recorded.
     */
    static UndoChain chainAnswered(ConnectionEvent cause, TrackedConnection connection) {
        return cause instanceof ConnectionRequested ? connection.undoChain() : chainOf(cause);
    }

    /**
     * How a handler retries a transient failure: it parks its item ({@link WorkBackoff}: exponential from
     * {@code backoff}, at most {@code maxBackoff}, never shorter than Elastic's {@code Retry-After} up to
     * {@code maxRetryAfter}); after {@code retries} retries (so {@code retries + 1} runs) it gives up.
     */
    public record Retries(int retries, Duration backoff, Duration maxBackoff, Duration maxRetryAfter,
            int quickRepeats) {

        public Retries {
            if (retries < 0 || quickRepeats < 0) {
                throw new IllegalArgumentException("retries and quick repeats must not be negative: " + retries
                        + ", " + quickRepeats);
            }
        }

        /** Without quick repeats: every transient failure parks. */
        public Retries(int retries, Duration backoff, Duration maxBackoff, Duration maxRetryAfter) {
            this(retries, backoff, maxBackoff, maxRetryAfter, 0);
        }

        static Retries forCreation(KeyServiceConfig.Key config) {
            return new Retries(config.createRetries(), config.backoff(), config.maxBackoff(), config.maxRetryAfter(),
                    config.quickRepeats());
        }

        static Retries forInvalidation(KeyServiceConfig.Key config) {
            return new Retries(config.invalidateRetries(), config.backoff(), config.maxBackoff(),
                    config.maxRetryAfter());
        }

        /** Whether this run of {@code work} was its last one: no retry is left after it. */
        boolean spent(Work work) {
            return work.attempts() >= retries;
        }

        /** How long the item parks after this run failed transiently. */
        Duration delay(Work work, Optional<Duration> retryAfter) {
            Optional<Duration> honoured = retryAfter.map(wait -> wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait);
            return new WorkBackoff(backoff, maxBackoff).after(work.attempts() + 1, honoured);
        }
    }
}

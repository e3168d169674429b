package io.crosslink.verify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long and how often a connection is tried: {@code crosslink.verify.*}. (Each group of {@code crosslink.*}
 * has its own mapping: the shared keys {@code crosslink.kafka.*} and {@code crosslink.outbox.*} belong to the
 * events module, and a mapping rooted at {@code crosslink} would reject them as unknown.)
 */
@ConfigMapping(prefix = "crosslink.verify")
public interface VerifyConfig {

    /** How long after RemoteConnected the connection may take to prove itself. */
    @WithDefault("60s")
    Duration deadline();

    /** How often the worker looks for due attempts. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Wait after the first failed attempt; doubles after each further one, up to {@link #maxBackoff()}. */
    @WithDefault("500ms")
    Duration initialBackoff();

    @WithDefault("5s")
    Duration maxBackoff();

    /** How long a claimed attempt is reserved for its worker; after a crash the job is taken up again. */
    @WithDefault("2m")
    Duration lease();

    /** Attempts claimed per worker run. */
    @WithDefault("20")
    int batchSize();
}

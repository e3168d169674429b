package io.crosslink.verify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long and how often a connection is tried: {@code crosslink.verify.*}. When and where the attempts run is
 * saga-runtime's work dispatcher ({@code crosslink.work.*}). (Each group of {@code crosslink.*} has its own
 * mapping: the shared keys {@code crosslink.kafka.*}, {@code crosslink.outbox.*} and {@code crosslink.work.*}
 * belong to saga-runtime, and a mapping rooted at {@code crosslink} would reject them as unknown.)
 */
@ConfigMapping(prefix = "crosslink.verify")
public interface VerifyConfig {

    /** How long after RemoteConnected the connection may take to prove itself. */
    @WithDefault("60s")
    Duration deadline();

    /** Wait after the first failed attempt; doubles after each further one, up to {@link #maxBackoff()}. */
    @WithDefault("500ms")
    Duration initialBackoff();

    @WithDefault("5s")
    Duration maxBackoff();
}

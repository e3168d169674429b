package io.crosslink.elastic;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The one call policy towards Elastic, the same in every service: {@code crosslink.elastic.*}. */
@ConfigMapping(prefix = "crosslink.elastic")
public interface ElasticClientConfig {

    @WithDefault("5s")
    Duration connectTimeout();

    /** One HTTP request, answer included. Nothing is waited for beyond it: a slow deployment gives the worker back. */
    @WithDefault("15s")
    Duration requestTimeout();

    /**
     * How many times an idempotent call (a GET, a PUT of a whole value, a keystore PATCH, a DELETE) is sent again at
     * once after an answered 5xx/429/408 without {@code Retry-After}, or a dropped connection: one lost answer then
     * costs a call, not a parked run. Never after a timeout or a refused connection (the deployment is slow or
     * down), never with a pause, never for a call that is not idempotent.
     */
    @WithDefault("3")
    int idempotentCallRetries();

    /** A longer {@code Retry-After} is cut to this: the work item's own bounds (deadline, retries) take over. */
    @WithDefault("2m")
    Duration maxRetryAfter();

    /** How often each Cloud API environment is probed for health's reachability data ({@code CloudReachability}). */
    @WithDefault("30s")
    Duration reachabilityInterval();
}

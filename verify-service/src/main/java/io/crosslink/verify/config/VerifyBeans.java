package io.crosslink.verify.config;

import io.crosslink.verify.domain.RetryPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock and the retry policy, as beans so the step logic takes them as plain constructor arguments. */
public class VerifyBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    RetryPolicy retryPolicy(VerifyConfig verify) {
        return new RetryPolicy(verify.deadline(), verify.initialBackoff(), verify.maxBackoff());
    }
}

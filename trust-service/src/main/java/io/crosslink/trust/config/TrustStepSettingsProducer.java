package io.crosslink.trust.config;

import io.crosslink.trust.service.TrustStepSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The certificate-model step's timings from {@code crosslink.trust.*}, on the system clock. */
public class TrustStepSettingsProducer {

    @Produces
    @Singleton
    TrustStepSettings settings(TrustConfig config) {
        TrustConfig.Trust trust = config.trust();
        return new TrustStepSettings(trust.planTimeout(), trust.planPollInterval(), Math.max(1, trust.writeAttempts()),
                trust.writeRetryDelay(), Clock.systemUTC(), TrustStepSettings.THREAD_SLEEP);
    }
}

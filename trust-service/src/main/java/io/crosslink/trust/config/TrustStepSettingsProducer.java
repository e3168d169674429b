package io.crosslink.trust.config;

import io.crosslink.runtime.work.UndoBudget;
import io.crosslink.trust.service.CloudApiRetry;
import io.crosslink.trust.service.KeptSigningAuthorities;
import io.crosslink.trust.service.TrustStepSettings;
import io.crosslink.trust.service.UndoRetry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

/**
 * The work items' timings: {@code crosslink.trust.*} (certificate model, on the system clock),
 * {@code crosslink.retry.*} and, for the undos, {@code crosslink.saga.undo-report-margin}.
 */
public class TrustStepSettingsProducer {

    @Produces
    @Singleton
    TrustStepSettings settings(TrustConfig config) {
        TrustConfig.Trust trust = config.trust();
        return new TrustStepSettings(trust.planTimeout(), trust.planPollInterval(), trust.writeAttempts(),
                Clock.systemUTC());
    }

    @Produces
    @Singleton
    CloudApiRetry retry(TrustConfig config) {
        TrustConfig.Retry retry = config.retry();
        return new CloudApiRetry(retry.attempts(), retry.backoff(), retry.maxBackoff());
    }

    @Produces
    @Singleton
    UndoRetry undoRetry(CloudApiRetry retry, TrustConfig config) {
        return new UndoRetry(retry, new UndoBudget(config.saga().undoReportMargin(), Clock.systemUTC()));
    }

    @Produces
    @Singleton
    KeptSigningAuthorities keptSigningAuthorities(TrustConfig config) {
        return new KeptSigningAuthorities(config.strongIdentity().keptCertificateAuthorities().orElse(List.of()));
    }
}

package io.crosslink.trust.config;

import io.crosslink.runtime.secret.SecretBox;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The box that opens encoded keys sealed by key-service, built once from {@code crosslink.secrets.data-key}. */
public class SecretBoxProducer {

    @Produces
    @Singleton
    SecretBox secretBox(TrustConfig config) {
        return SecretBox.fromBase64(config.secrets().dataKey());
    }
}

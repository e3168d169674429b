package io.crosslink.key.config;

import io.crosslink.runtime.secret.SecretBox;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The box that seals encoded keys, built once from {@code crosslink.secrets.data-key}. */
public class SecretBoxProducer {

    @Produces
    @Singleton
    SecretBox secretBox(KeyServiceConfig config) {
        return SecretBox.fromBase64(config.secrets().dataKey());
    }
}

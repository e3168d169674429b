package io.crosslink.trust.config;

import io.crosslink.runtime.secret.SecretBox;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The box that opens encoded keys sealed by key-service, built at start from the keyring
 * {@code crosslink.secrets.data-keys} (every key opens what it sealed), so a bad or repeated key stops the start,
 * naming its position. It says which key ids it has, never a key.
 */
public class SecretBoxProducer {
    private static final Logger LOG = Logger.getLogger(SecretBoxProducer.class);

    @Produces
    @Singleton
    @Startup
    SecretBox secretBox(TrustConfig config) {
        SecretBox box = SecretBox.keyring(config.secrets().dataKeys());
        LOG.infof("data keys: opening key ids %s", box.keyIds());
        return box;
    }
}

package io.crosslink.key.config;

import io.crosslink.runtime.secret.SecretBox;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The box that seals encoded keys, built at start from the keyring {@code crosslink.secrets.data-keys} (the first key
 * seals), so a bad or repeated key stops the start, naming its position. It says which key ids it has, never a key.
 */
public class SecretBoxProducer {
    private static final Logger LOG = Logger.getLogger(SecretBoxProducer.class);

    @Produces
    @Singleton
    @Startup
    SecretBox secretBox(KeyServiceConfig config) {
        SecretBox box = SecretBox.keyring(config.secrets().dataKeys());
        LOG.infof("data keys: sealing with key id %s; keyring %s", box.keyId(), box.keyIds());
        return box;
    }
}

package io.crosslink.connect.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Says at start what bearer tokens are verified against. Using {@link TokenConfig} is also what makes Quarkus check
 * it when the configuration is read (an unused mapping is dropped), so a missing setting stops the start first.
 */
@ApplicationScoped
public class TokenVerification {
    private static final Logger LOG = Logger.getLogger(TokenVerification.class);

    void announce(@Observes StartupEvent event, TokenConfig config) {
        LOG.infof("bearer tokens: issuer %s, audience %s, key %s", config.issuer(), config.audiences(),
                config.publicKeyLocation());
    }
}

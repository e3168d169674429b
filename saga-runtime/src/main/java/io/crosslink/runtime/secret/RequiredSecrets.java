package io.crosslink.runtime.secret;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Injects the secrets every service must be given ({@link DatabaseSecret}), so Quarkus checks them when it reads the
 * configuration, before anything starts, and refuses to start naming what is missing. Says only that they are set.
 */
@ApplicationScoped
public class RequiredSecrets {
    private static final Logger LOG = Logger.getLogger(RequiredSecrets.class);

    void check(@Observes StartupEvent event, DatabaseSecret database) {
        if (database.password().isBlank()) {
            throw new IllegalStateException("quarkus.datasource.password is empty");
        }
        LOG.debug("secrets: the database password is set");
    }
}

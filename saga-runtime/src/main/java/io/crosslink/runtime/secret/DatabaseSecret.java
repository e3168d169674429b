package io.crosslink.runtime.secret;

import io.smallrye.config.ConfigMapping;

/**
 * The database password, made required: Quarkus starts without one (and a server that trusts local connections would
 * even let it in). Each service sets {@code quarkus.datasource.password=${<SERVICE>_DB_PASSWORD}} with no default in
 * production, so a service started without it refuses to start, before it touches its database, naming the setting
 * and its variable ({@code SRCFG00011: Could not expand value KEY_DB_PASSWORD in property quarkus.datasource.password}).
 * Used by {@link RequiredSecrets}, which is what keeps Quarkus from dropping the mapping as unused.
 */
@ConfigMapping(prefix = "quarkus.datasource")
public interface DatabaseSecret {

    /** The password of the service's own database user. */
    String password();
}

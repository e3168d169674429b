package io.crosslink.trust.client;

import java.util.Set;

/**
 * L's Elasticsearch keystore, changed through the Cloud API. Both changes are idempotent: writing the same value
 * again or removing a missing entry is harmless. Failures are {@link ElasticCallException}s whose failure is
 * redacted (the Cloud API may echo the request body, i.e. the secret); nothing is retried here (the work items park
 * and run again).
 */
public interface KeystoreClient {

    /** Adds or replaces a string secret. */
    void putSecret(DeploymentResource resource, String settingName, String value);

    /** Removes a secret (the undo of the keystore step); removing a missing one is harmless. */
    void removeSecret(DeploymentResource resource, String settingName);

    /** The names of the keystore's entries as the Cloud API lists them now (no values are ever shown). */
    Set<String> listSecrets(DeploymentResource resource);
}

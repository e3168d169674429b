package io.crosslink.trust.client;

import java.util.List;

/**
 * R's persistent {@code cluster.remote.signing.certificate_authorities}, through R's Elasticsearch (an interface, so
 * step logic can be tested without one). Write-only: Elasticsearch hides the setting from every read. Failures are
 * {@link io.crosslink.elastic.ElasticCallException}s: transient ones may pass, {@code deployment_not_configured} when
 * no access to R is configured.
 */
public interface SigningCaSettings {

    /** Sets R's list to {@code paths} (the whole list: the same PUT again changes nothing). */
    void replace(String deploymentId, List<String> paths);
}

package io.crosslink.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a certificate-model remote is registered on L. */
public enum Registration {
    /** {@code PUT _cluster/settings} on L, proxy mode on R's transport port (the default). */
    @JsonProperty("cluster_settings")
    CLUSTER_SETTINGS,
    /**
     * ECE's {@code PUT /deployments/{id}/elasticsearch/{ref_id}/remote-clusters} (both deployments in one ECE
     * installation): the Cloud API writes the cluster settings.
     */
    @JsonProperty("ece_remote_clusters")
    ECE_REMOTE_CLUSTERS
}

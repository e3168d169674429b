package io.crosslink.cloudsim.domain;

/** One entry of a deployment's remote-clusters list as the Cloud API manages it. */
public record RemoteClusterRef(String deploymentId, String elasticsearchRefId, String alias, boolean skipUnavailable) {
}

package io.crosslink.verify.domain;

/**
 * One attempt: which connection, on which local deployment (and its Elasticsearch version, as connect-service read it;
 * null for connections recorded before it was kept), through which alias, with which probe.
 */
public record ProbeTarget(String connectionId, String deploymentId, String localVersion, String alias, ProbePlan plan) {

    public ProbeTarget(String connectionId, String deploymentId, String alias, ProbePlan plan) {
        this(connectionId, deploymentId, null, alias, plan);
    }
}

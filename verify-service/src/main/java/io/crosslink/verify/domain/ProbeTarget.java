package io.crosslink.verify.domain;

/** One attempt: which connection, on which local deployment, through which alias, with which probe. */
public record ProbeTarget(String connectionId, String deploymentId, String alias, ProbePlan plan) {
}

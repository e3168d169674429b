package io.crosslink.cloudsim.domain;

import java.util.regex.Pattern;

/**
 * A validated fault: which calls it matches (null = any) and what it does to them.
 *
 * @param target null: the Cloud API and Elasticsearch ({@link FaultTarget#PLAN} only when named)
 * @param path full-match pattern on the request path, null for any path
 * @param phase null for plan faults
 * @param body replacement body, null for the target's default error document
 * @param times how many calls it applies to, null for every matching call until removed
 * @param pendingSeconds plan faults only: how long the plan of a trust change shows as pending; else null
 */
public record FaultSpec(String deploymentId, FaultTarget target, String method, Pattern path, FaultPhase phase,
        Integer status, String body, Integer retryAfterSeconds, long latencyMs, boolean drop, Integer times,
        double probability, Integer pendingSeconds) {

    public boolean matches(FaultedCall call) {
        return (deploymentId == null || deploymentId.equals(call.deploymentId()))
                && (target == null ? call.target() != FaultTarget.PLAN : target == call.target())
                && (method == null || method.equalsIgnoreCase(call.method()))
                && (path == null || path.matcher(call.path()).matches());
    }

    /** For the log: what the caller experiences, never a body. */
    public String action() {
        if (target == FaultTarget.PLAN) {
            return "pending plan " + pendingSeconds + " s";
        }
        StringBuilder action = new StringBuilder(phase.wireName());
        if (latencyMs > 0) {
            action.append(" +").append(latencyMs).append(" ms");
        }
        if (drop) {
            action.append(" drop");
        } else if (status != null) {
            action.append(" status ").append(status);
        }
        return action.toString();
    }
}

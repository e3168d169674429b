package io.crosslink.trust.service;

import io.crosslink.events.DeploymentInfo;
import io.crosslink.events.StepFailure;
import io.crosslink.trust.client.TrustClient;
import io.crosslink.trust.domain.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trust changes are plan changes on Elastic Cloud and ECE: the new trust is in effect once the deployment no longer
 * reports a pending plan ({@code info.plan_info.pending}). One {@link #look} reads each deployment once; the work
 * item parks for {@code crosslink.trust.plan-poll-interval} between looks (never sleeping on a worker) until none
 * reports one, or {@code crosslink.trust.plan-timeout} after its writes ({@link #timedOut}).
 */
@ApplicationScoped
public class PlanWaiter {
    private final TrustClient client;

    public PlanWaiter(TrustClient client) {
        this.client = client;
    }

    /** What one look saw: each deployment as read (by deployment id), and the ids still reporting a pending plan. */
    public record Look(Map<String, DeploymentState> states, List<String> pending) {
        public boolean settled() {
            return pending.isEmpty();
        }
    }

    /** Reads each deployment once. */
    public Look look(List<DeploymentInfo> deployments) {
        Map<String, DeploymentState> states = new LinkedHashMap<>();
        for (DeploymentInfo deployment : deployments) {
            states.putIfAbsent(deployment.deploymentId(), client.readDeployment(TrustWriter.resource(deployment)));
        }
        List<String> pending = states.values().stream().filter(DeploymentState::planPending)
                .map(DeploymentState::deploymentId).toList();
        return new Look(states, pending);
    }

    /** The failure of a plan wait that reached its deadline ({@code plan_timeout}, retryable). */
    public static StepFailure timedOut(List<String> pending, TrustStepSettings settings) {
        return new StepFailure("plan_timeout", "deployment(s) " + pending + " still report a pending plan "
                + settings.planTimeout().toSeconds() + " s after the trust update", null, true);
    }

    /** The deadline of a plan wait that starts now. */
    public static Instant deadline(TrustStepSettings settings) {
        return settings.clock().instant().plus(settings.planTimeout());
    }
}

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
import org.jboss.logging.Logger;

/**
 * Trust changes are plan changes on Elastic Cloud and ECE: the new trust is in effect once the deployment no longer
 * reports a pending plan ({@code info.plan_info.pending}). Polls until none of the deployments does, within
 * {@code crosslink.trust.plan-timeout}.
 */
@ApplicationScoped
public class PlanWaiter {
    private static final Logger LOG = Logger.getLogger(PlanWaiter.class);

    private final TrustClient client;
    private final TrustStepSettings settings;

    public PlanWaiter(TrustClient client, TrustStepSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * Returns each deployment as last read, without a pending plan (by deployment id), or throws a
     * {@link TrustStepException} ({@code plan_timeout}, retryable) when one still has one at the deadline.
     */
    public Map<String, DeploymentState> awaitNoPendingPlan(List<DeploymentInfo> deployments) {
        Instant deadline = settings.clock().instant().plus(settings.planTimeout());
        Map<String, DeploymentState> settled = new LinkedHashMap<>();
        while (true) {
            for (DeploymentInfo deployment : deployments) {
                if (!settled.containsKey(deployment.deploymentId())) {
                    DeploymentState state = client.readDeployment(TrustWriter.resource(deployment));
                    if (!state.planPending()) {
                        settled.put(deployment.deploymentId(), state);
                    }
                }
            }
            List<String> pending = deployments.stream().map(DeploymentInfo::deploymentId)
                    .filter(id -> !settled.containsKey(id)).distinct().toList();
            if (pending.isEmpty()) {
                return settled;
            }
            if (!settings.clock().instant().isBefore(deadline)) {
                LOG.warnf("deployments %s still report a pending plan after %s", pending, settings.planTimeout());
                throw new TrustStepException(new StepFailure("plan_timeout", "deployment(s) " + pending
                        + " still report a pending plan " + settings.planTimeout().toSeconds()
                        + " s after the trust update", null, true));
            }
            settings.pause().sleep(settings.planPollInterval());
        }
    }
}

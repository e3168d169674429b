package io.crosslink.cloudsim.service;

import io.crosslink.cloudsim.domain.CloudApiException;
import io.crosslink.cloudsim.domain.SimDeployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/** {@code _restart}: accepted at once, the node restarts in the background while the plan shows as pending. */
@ApplicationScoped
public class RestartService {
    private static final Logger LOG = Logger.getLogger(RestartService.class);

    private final DeploymentRegistry registry;

    public RestartService(DeploymentRegistry registry) {
        this.registry = registry;
    }

    public void restartAsync(SimDeployment deployment) {
        if (deployment.restarting()) {
            throw new CloudApiException(422, "deployments.deployment_resource_plan_change_error",
                    "A plan change is already pending for this resource; retry when it has finished.");
        }
        deployment.restarting(true);
        CompletableFuture.runAsync(() -> registry.restart(deployment)).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.errorf("restart of %s failed: %s", deployment.config().name(), failure.getMessage());
            }
        });
    }
}

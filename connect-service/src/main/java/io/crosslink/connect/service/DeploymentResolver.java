package io.crosslink.connect.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.connect.client.CloudApi;
import io.crosslink.connect.client.HttpAnswer;
import io.crosslink.connect.client.TransientElasticException;
import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.events.DeploymentRef;
import io.crosslink.events.EventCodec;
import io.crosslink.events.StepFailure;
import io.crosslink.events.elastic.ElasticErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.TreeSet;

/**
 * Looks a requested deployment up in its environment's Cloud API. Permanent answers (unknown environment,
 * 404, refused) become violations; transient ones propagate as {@link TransientElasticException} after the
 * client's retries, so the checks stay pending and run again later.
 */
@ApplicationScoped
public class DeploymentResolver {
    private final ConnectConfig config;
    private final CloudApi cloud;

    public DeploymentResolver(ConnectConfig config, CloudApi cloud) {
        this.config = config;
        this.cloud = cloud;
    }

    public DeploymentFacts.Outcome resolve(DeploymentRef ref, String field) {
        ConnectConfig.Environment environment = config.environments().get(ref.environment());
        if (environment == null) {
            return DeploymentFacts.Outcome.rejected(field + ".environment", "unknown environment " + ref.environment()
                    + " (configured: " + String.join(", ", new TreeSet<>(config.environments().keySet())) + ")");
        }
        HttpAnswer answer = cloud.deployment(environment, ref.deploymentId());
        if (answer.status() == 404) {
            return DeploymentFacts.Outcome.rejected(field + ".deploymentId", "deployment not found in environment "
                    + ref.environment());
        }
        if (!answer.ok()) {
            StepFailure failure = ElasticErrors.fromResponse(answer.status(), answer.body(), environment.apiKey());
            return DeploymentFacts.Outcome.rejected(field + ".deploymentId", "the Cloud API of environment "
                    + ref.environment() + " refused the lookup: " + failure.type() + ": " + failure.reason());
        }
        JsonNode deployment;
        try {
            deployment = EventCodec.mapper().readTree(answer.body());
        } catch (IOException e) {
            return DeploymentFacts.Outcome.rejected(field + ".deploymentId", "the Cloud API answered something that is not JSON");
        }
        return DeploymentFacts.read(ref, field, deployment);
    }
}

package io.crosslink.trust.support;

import io.crosslink.elastic.CloudTarget;
import io.crosslink.elastic.ElasticCallException;
import io.crosslink.events.StepFailure;
import io.crosslink.trust.client.CloudTargets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Cloud API targets for the clients alone: every environment named at one URL, each with its API key. */
public final class TestCloudTargets extends CloudTargets {
    private final Map<String, CloudTarget> targets = new LinkedHashMap<>();

    /** {@code environmentsAndKeys}: environment name, then its API key, repeated; all at {@code url}. */
    public TestCloudTargets(String url, String... environmentsAndKeys) {
        super(null);
        for (int i = 0; i + 1 < environmentsAndKeys.length; i += 2) {
            targets.put(environmentsAndKeys[i],
                    CloudTarget.of(environmentsAndKeys[i], url, environmentsAndKeys[i + 1], Optional.empty()));
        }
    }

    @Override
    public CloudTarget of(String environment) {
        CloudTarget target = targets.get(environment);
        if (target == null) {
            throw ElasticCallException.of(new StepFailure("environment_not_configured",
                    "no Cloud API is configured for environment [" + environment + "]", null, false));
        }
        return target;
    }
}

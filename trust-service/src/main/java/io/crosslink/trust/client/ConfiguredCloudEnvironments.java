package io.crosslink.trust.client;

import io.crosslink.elastic.CloudTarget;
import io.crosslink.elastic.health.CloudEnvironments;
import io.crosslink.trust.config.TrustConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;

/** The environments of {@code crosslink.environments.*}, for the Cloud API reachability in health. */
@ApplicationScoped
public class ConfiguredCloudEnvironments implements CloudEnvironments {
    private final CloudTargets targets;
    private final TrustConfig config;

    public ConfiguredCloudEnvironments(CloudTargets targets, TrustConfig config) {
        this.targets = targets;
        this.config = config;
    }

    @Override
    public Map<String, CloudTarget> all() {
        Map<String, CloudTarget> all = new TreeMap<>();
        config.environments().keySet().forEach(name -> all.put(name, targets.of(name)));
        return all;
    }
}

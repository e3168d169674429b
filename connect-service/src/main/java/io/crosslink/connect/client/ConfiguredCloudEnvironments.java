package io.crosslink.connect.client;

import io.crosslink.connect.config.ConnectConfig;
import io.crosslink.elastic.CloudTarget;
import io.crosslink.elastic.health.CloudEnvironments;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;

/** The environments of {@code crosslink.environments.*}, for the Cloud API reachability in health. */
@ApplicationScoped
public class ConfiguredCloudEnvironments implements CloudEnvironments {
    private final ConnectConfig config;

    public ConfiguredCloudEnvironments(ConnectConfig config) {
        this.config = config;
    }

    @Override
    public Map<String, CloudTarget> all() {
        Map<String, CloudTarget> targets = new TreeMap<>();
        config.environments().forEach((name, environment) -> targets.put(name,
                CloudTarget.of(name, environment.url(), environment.apiKey(), environment.tlsConfigurationName())));
        return targets;
    }
}

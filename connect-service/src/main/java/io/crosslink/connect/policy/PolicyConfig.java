package io.crosslink.connect.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the access policy is ({@code crosslink.policy.file}, env {@code CROSSLINK_POLICY_FILE}) and how often it is
 * looked at for changes. No default for the file: a service without a policy refuses to start, naming the setting.
 */
@ConfigMapping(prefix = "crosslink.policy")
public interface PolicyConfig {

    /** The YAML policy file (README "Policy"). */
    Path file();

    /** How often the file is read again; a changed, valid file replaces the policy in force. */
    @WithDefault("5s")
    Duration reloadInterval();
}

package io.crosslink.elastic.health;

import io.crosslink.elastic.CloudTarget;
import java.util.Map;

/**
 * The Cloud API environments a service calls, by name ({@code crosslink.environments.<name>}). A service that has
 * them provides this bean, so {@link CloudReachability} can tell operators which environments it can reach.
 */
public interface CloudEnvironments {

    Map<String, CloudTarget> all();
}

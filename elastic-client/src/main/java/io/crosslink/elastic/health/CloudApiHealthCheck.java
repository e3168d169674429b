package io.crosslink.elastic.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Each Cloud API environment's last reachability reading, as data of a readiness check that is always UP: one slow
 * or unreachable environment must not take the service out of its load balancer, since the others still work and
 * its own sagas park and retry. Readiness itself is gated by Kafka and the database (their own checks).
 */
@Readiness
@ApplicationScoped
public class CloudApiHealthCheck implements HealthCheck {
    static final String NAME = "Cloud API reachability";

    private final CloudReachability reachability;

    public CloudApiHealthCheck(CloudReachability reachability) {
        this.reachability = reachability;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        if (!reachability.hasEnvironments()) {
            return response.withData("environments", "none configured").build();
        }
        reachability.readings().forEach((name, reading) -> response.withData(name, reading.describe()));
        return response.build();
    }
}

package io.crosslink.cloudsim.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * Where a fault applies: the Cloud API, Elasticsearch (each service_url pass-through and ECE's proxy API), or the plan
 * a trust change starts (how long it shows as pending). A fault without a target applies to the Cloud API and
 * Elasticsearch, never to plans.
 */
public enum FaultTarget {
    CLOUD_API("cloud-api"),
    ELASTICSEARCH("elasticsearch"),
    PLAN("plan");

    private final String wireName;

    FaultTarget(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<FaultTarget> fromWire(String name) {
        for (FaultTarget target : values()) {
            if (target.wireName.equals(name)) {
                return Optional.of(target);
            }
        }
        return Optional.empty();
    }
}

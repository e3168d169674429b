package io.crosslink.cloudsim.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** BEFORE: answer without forwarding (nothing happens). AFTER: forward (the change happens), then fail the answer. */
public enum FaultPhase {
    BEFORE,
    AFTER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FaultPhase> fromWire(String name) {
        for (FaultPhase phase : values()) {
            if (phase.wireName().equals(name)) {
                return Optional.of(phase);
            }
        }
        return Optional.empty();
    }
}

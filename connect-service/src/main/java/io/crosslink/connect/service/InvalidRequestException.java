package io.crosslink.connect.service;

import io.crosslink.events.Violation;
import java.util.List;

/** A request that fails field validation: answered 400 with every violation, nothing stored. */
public class InvalidRequestException extends RuntimeException {
    private final transient List<Violation> violations;

    public InvalidRequestException(String detail, List<Violation> violations) {
        super(detail, null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
